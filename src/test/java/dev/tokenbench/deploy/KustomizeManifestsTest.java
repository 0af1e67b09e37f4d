package dev.tokenbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests under deploy/k8s, rendered the way kustomize would (no kubectl here: see
 * {@link Kustomize}) and checked for what a scheduled benchmark and the central service need.
 */
class KustomizeManifestsTest {

    static final Path K8S = Path.of("deploy/k8s");
    static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-southeast");

    @Test
    void everyManifestParsesAndNamesItsKind() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(K8S)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 15, "expected the base, serve, component and overlay files, found " + files);
        for (Path file : files) {
            List<JsonNode> docs = Kustomize.readAll(file);
            assertFalse(docs.isEmpty(), file + " is empty");
            for (JsonNode doc : docs) {
                assertTrue(doc.path("apiVersion").isTextual(), file + ": apiVersion missing");
                assertTrue(doc.path("kind").isTextual(), file + ": kind missing");
                boolean kustomization = doc.path("kind").asText().equals("Kustomization")
                        || doc.path("kind").asText().equals("Component");
                if (!kustomization) {
                    assertTrue(doc.path("metadata").path("name").isTextual(), file + ": metadata.name missing");
                }
            }
        }
    }

    @Test
    void everyRegionRunsTheBenchmarkOnceAtATimeWithBoundedResources() {
        for (String region : REGIONS) {
            List<ObjectNode> objects = Kustomize.render(K8S.resolve("overlays").resolve(region));
            ObjectNode cronJob = only(objects, "CronJob");
            String where = "overlay " + region + ": ";
            assertEquals("batch/v1", cronJob.path("apiVersion").asText(), where);
            assertEquals("tokenbench-" + region, cronJob.at("/metadata/name").asText(), where);
            assertEquals("tokenbench", cronJob.at("/metadata/namespace").asText(), where);
            JsonNode spec = cronJob.path("spec");
            assertTrue(spec.path("schedule").asText().split(" ").length == 5, where + "schedule is a cron expression");
            assertEquals("Forbid", spec.path("concurrencyPolicy").asText(), where);
            assertTrue(spec.path("successfulJobsHistoryLimit").asInt(-1) >= 1, where + "successful history limit");
            assertTrue(spec.path("failedJobsHistoryLimit").asInt(-1) >= 1, where + "failed history limit");
            JsonNode pod = spec.at("/jobTemplate/spec/template/spec");
            assertEquals("Never", pod.path("restartPolicy").asText(), where);
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), where + "runAsNonRoot");
            assertTrue(pod.at("/securityContext/runAsUser").asInt(0) > 0, where + "a non-root uid");

            JsonNode container = onlyContainer(pod, where);
            assertResources(container, where);
            List<String> args = texts(container.path("args"));
            assertEquals(List.of("run", "/config/bench.yaml"), args.subList(0, 2), where + "args " + args);
            int push = args.indexOf("--push-gateway");
            assertTrue(push > 0 && push + 1 < args.size(), where + "--push-gateway URL in " + args);
            String pushUrl = args.get(push + 1);
            assertEquals("$(TOKENBENCH_PUSH_GATEWAY)", pushUrl, where);
            assertTrue(env(container).get("TOKENBENCH_PUSH_GATEWAY").startsWith("http://"), where);
            assertFalse(args.contains("--publish"), where + "publishing is the optional component's");
            assertEquals(Set.of("tokenbench-provider-keys"), envFromSecrets(container), where);

            // The config map the pod mounts at /config is the one the overlay renders (with its suffix).
            ObjectNode configMap = only(objects, "ConfigMap");
            String volume = mountedVolume(container, "/config", where);
            assertEquals(configMap.at("/metadata/name").asText(), volumeSource(pod, volume).at("/configMap/name").asText(),
                    where + "the /config volume names the rendered ConfigMap");
            assertTrue(configMap.at("/data/bench.yaml").isTextual(), where + "bench.yaml in the ConfigMap");
            assertEquals("/work", mountedPath(container, "/work", where), where + "a writable /work for the run files");

            // Labels: on the CronJob and on the pods, probe and region.
            String probe = env(container).get("TOKENBENCH_PROBE");
            assertEquals("k8s-" + region, probe, where + "TOKENBENCH_PROBE");
            for (JsonNode labels : List.of(cronJob.at("/metadata/labels"),
                    cronJob.at("/spec/jobTemplate/spec/template/metadata/labels"))) {
                assertEquals(probe, labels.path("tokenbench.dev/probe").asText(), where + labels);
                assertEquals(region, labels.path("tokenbench.dev/region").asText(), where + labels);
                assertEquals("tokenbench", labels.path("app.kubernetes.io/name").asText(), where + labels);
                assertEquals("benchmark", labels.path("app.kubernetes.io/component").asText(), where + labels);
            }
        }
    }

    @Test
    void everyOverlaySetsItsOwnProbe() {
        Map<String, String> probeByRegion = new HashMap<>();
        for (String region : REGIONS) {
            JsonNode container = onlyContainer(
                    only(Kustomize.render(K8S.resolve("overlays").resolve(region)), "CronJob")
                            .at("/spec/jobTemplate/spec/template/spec"), region);
            String probe = env(container).get("TOKENBENCH_PROBE");
            assertNotNull(probe, region);
            assertFalse(probe.isBlank() || probe.equals("unset"), region + " leaves the base's probe: " + probe);
            probeByRegion.put(region, probe);
        }
        assertEquals(REGIONS.size(), new HashSet<>(probeByRegion.values()).size(), "probes " + probeByRegion);
        // The base alone is not meant to be deployed: its placeholder probe would be caught above.
        JsonNode base = onlyContainer(only(Kustomize.render(K8S.resolve("base")), "CronJob")
                .at("/spec/jobTemplate/spec/template/spec"), "base");
        assertEquals("unset", env(base).get("TOKENBENCH_PROBE"));
    }

    @Test
    void theBundledBenchmarkIsValidWithTheKeysTheSecretProvides(@TempDir Path dir) throws Exception {
        ObjectNode configMap = only(Kustomize.render(K8S.resolve("base")), "ConfigMap");
        Path bench = dir.resolve("bench.yaml");
        Files.writeString(bench, configMap.at("/data/bench.yaml").asText());
        Map<String, String> secretKeys = new HashMap<>();
        Kustomize.readAll(K8S.resolve("base/provider-keys.secret.example.yaml")).get(0).path("stringData")
                .fields().forEachRemaining(e -> secretKeys.put(e.getKey(), e.getValue().asText()));
        RunPlan plan = new BenchmarkLoader(secretKeys::get, dir, ProviderRegistry.defaults()).load(bench);
        assertEquals(2, plan.targets().size());
        // Without the Secret's keys the same file is an error: the ${env:…} references are real.
        try {
            new BenchmarkLoader(name -> null, dir, ProviderRegistry.defaults()).load(bench);
            fail("bench.yaml loaded without its keys");
        } catch (dev.tokenbench.config.ConfigException expected) {
            assertTrue(expected.getMessage().contains("OPENAI_API_KEY"), expected.getMessage());
        }
    }

    @Test
    void thePublishComponentAddsPublishAndItsSecret() {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("overlays/eu-west"),
                List.of(K8S.resolve("components/publish")));
        JsonNode container = onlyContainer(only(objects, "CronJob").at("/spec/jobTemplate/spec/template/spec"), "");
        List<String> args = texts(container.path("args"));
        int publish = args.indexOf("--publish");
        assertTrue(publish > 0, "args " + args);
        assertEquals("$(TOKENBENCH_PUBLISH_URL)", args.get(publish + 1));
        assertTrue(args.contains("--push-gateway"), "publishing comes beside the Pushgateway: " + args);
        assertEquals(Set.of("tokenbench-provider-keys", "tokenbench-publish"), envFromSecrets(container));
    }

    @Test
    void serveIsProbedOnHealthScrapedOnMetricsAndReadsPostgresFromASecret() {
        List<ObjectNode> objects = Kustomize.render(K8S.resolve("serve"));
        ObjectNode deployment = only(objects, "Deployment");
        ObjectNode service = only(objects, "Service");
        ObjectNode monitor = only(objects, "ServiceMonitor");
        assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
        assertEquals(1, deployment.at("/spec/replicas").asInt(), "one replica: the service runs the schedules");

        JsonNode pod = deployment.at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), "runAsNonRoot");
        JsonNode container = onlyContainer(pod, "serve");
        assertEquals(List.of("serve", "--host", "0.0.0.0", "--port", "8080"), texts(container.path("args")),
                "loopback by default: the pod opens it to the Service");
        assertEquals(8080, container.at("/ports/0/containerPort").asInt());
        String portName = container.at("/ports/0/name").asText();
        assertResources(container, "serve: ");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertTrue(get.path("path").asText().startsWith("/q/health"), probe + " " + get);
            assertEquals(portName, get.path("port").asText(), probe);
        }

        // Selectors: the Deployment's and the Service's select the pod, the ServiceMonitor's the Service.
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        assertSubset(deployment.at("/spec/selector/matchLabels"), podLabels, "Deployment selector");
        assertSubset(service.at("/spec/selector"), podLabels, "Service selector");
        assertSubset(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"), "ServiceMonitor");
        assertEquals(portName, service.at("/spec/ports/0/targetPort").asText());
        assertEquals(service.at("/spec/ports/0/name").asText(), monitor.at("/spec/endpoints/0/port").asText());
        assertEquals("/q/metrics", monitor.at("/spec/endpoints/0/path").asText());
        assertEquals("tokenbench-api", monitor.at("/spec/endpoints/0/authorization/credentials/name").asText(),
                "the scrape sends the API token (needed with read-requires-token)");

        // Secrets: the API token and the PostgreSQL connection come from Secrets, none of them is inline.
        JsonNode token = envEntry(container, "TOKENBENCH_API_TOKEN");
        assertEquals("tokenbench-api", token.at("/valueFrom/secretKeyRef/name").asText());
        assertTrue(envFromSecrets(container).contains("tokenbench-postgres"));
        Set<String> postgresKeys = new HashSet<>();
        Kustomize.readAll(K8S.resolve("serve/postgres.secret.example.yaml")).get(0).path("stringData")
                .fieldNames().forEachRemaining(postgresKeys::add);
        assertEquals(Set.of("QUARKUS_DATASOURCE_HISTORY_JDBC_URL", "QUARKUS_DATASOURCE_HISTORY_USERNAME",
                "QUARKUS_DATASOURCE_HISTORY_PASSWORD"), postgresKeys);
        assertEquals("postgresql", env(container).get("TOKENBENCH_STORE_KIND"), "the history store");
        for (JsonNode e : container.path("env")) {
            assertFalse(e.path("name").asText().contains("PASSWORD") && e.has("value"), "inline password " + e);
        }
    }

    // ---- helpers

    static ObjectNode only(List<ObjectNode> objects, String kind) {
        List<ObjectNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), "one " + kind + " in " + objects.stream().map(o -> o.path("kind").asText()).toList());
        return found.get(0);
    }

    static JsonNode onlyContainer(JsonNode podSpec, String where) {
        assertEquals(1, podSpec.path("containers").size(), where + "one container");
        return podSpec.path("containers").get(0);
    }

    static void assertResources(JsonNode container, String where) {
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertFalse(container.at("/resources/" + kind + "/" + resource).asText().isEmpty(),
                        where + "resources." + kind + "." + resource);
            }
        }
        JsonNode security = container.path("securityContext");
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), where + "allowPrivilegeEscalation");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), where + "readOnlyRootFilesystem");
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new HashMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                out.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return out;
    }

    static JsonNode envEntry(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no env " + name + " in " + container.path("env"));
    }

    static Set<String> envFromSecrets(JsonNode container) {
        Set<String> out = new HashSet<>();
        container.path("envFrom").forEach(e -> {
            if (e.has("secretRef")) {
                out.add(e.at("/secretRef/name").asText());
            }
        });
        return out;
    }

    static String mountedVolume(JsonNode container, String path, String where) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                return m.path("name").asText();
            }
        }
        throw new AssertionError(where + "nothing mounted at " + path);
    }

    static String mountedPath(JsonNode container, String path, String where) {
        mountedVolume(container, path, where);
        return path;
    }

    static JsonNode volumeSource(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    static void assertSubset(JsonNode selector, JsonNode labels, String what) {
        assertTrue(selector.size() > 0, what + " is empty");
        selector.fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
                labels.path(e.getKey()).asText(), what + " " + e.getKey() + " against " + labels));
    }
}
