# tokenbench as a native executable in a small non-root image. `tokenbench` is the entrypoint, so
#   docker build -t tokenbench .
#   docker run --rm tokenbench                                   # the bundled demo (built-in simulator)
#   docker run --rm -v $PWD/bench.yaml:/config/bench.yaml tokenbench run /config/bench.yaml
#   docker run --rm -p 8080:8080 -e TOKENBENCH_API_TOKEN=… tokenbench serve
# Dockerfile.jvm builds the same contract on a JVM.
#
# Stage 1: Maven runs every Quarkus native build step and writes target/native-sources/ (the native-image
# arguments, the runner jar with its reflection and resource registrations, lib/). CI runs the same command.
FROM maven:3.9-eclipse-temurin-17 AS sources
WORKDIR /build
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline || true
COPY src ./src
COPY seeds ./seeds
RUN mvn -B -q -DskipTests package -Dnative -Dquarkus.native.sources-only=true

# Stage 2: Mandrel (the Quarkus builder image; its version is the one in target/native-sources/graalvm.version)
# compiles those sources into the executable.
FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25 AS native
COPY --from=sources --chown=quarkus:quarkus /build/target/native-sources /code/native-sources
WORKDIR /code/native-sources
RUN native-image $(cat native-image.args) && mv *-runner /code/tokenbench

# Stage 3: the Quarkus micro image (glibc, libstdc++, nothing else), as uid 1001.
FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0
WORKDIR /work
RUN chown 1001:0 /work && chmod g+rwX /work
COPY --from=native --chown=1001:0 --chmod=0755 /code/tokenbench /usr/local/bin/tokenbench
USER 1001
EXPOSE 8080
# serve listens on loopback unless told otherwise; in a container, the published port needs every interface.
ENV TOKENBENCH_SERVE_HOST=0.0.0.0
ENTRYPOINT ["/usr/local/bin/tokenbench"]
# No arguments: the bundled demo against the built-in simulator (no keys, no network).
CMD ["run"]
