# Native executable of tokenbench, built in a Mandrel builder stage, shipped in a small runtime image.
# The Kubernetes manifests and the JVM image variant come with the container issue.
FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21 AS build
USER root
RUN microdnf install -y maven && microdnf clean all
WORKDIR /build
COPY --chown=quarkus:quarkus pom.xml ./
COPY --chown=quarkus:quarkus src ./src
COPY --chown=quarkus:quarkus seeds ./seeds
USER quarkus
RUN mvn -B -q -DskipTests package -Dnative

FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0
WORKDIR /work
COPY --from=build /build/target/*-runner /usr/local/bin/tokenbench
RUN chmod 0755 /usr/local/bin/tokenbench
USER 1001
ENTRYPOINT ["/usr/local/bin/tokenbench"]
CMD ["run"]
