package dev.tokenbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.provider.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles and the local compose stack, read as text and YAML (no container engine here): the parts that
 * must agree with the code and with each other (entrypoint, ports, paths, mounted files, scrape targets).
 */
class ContainerFilesTest {

    static final Path COMPOSE_DIR = Path.of("deploy/compose");

    /** One Dockerfile instruction, continuation lines joined, in the stage it belongs to. */
    record Instruction(int stage, String keyword, String args) {
    }

    static List<Instruction> dockerfile(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int stage = -1;
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String whole = pending.toString();
            pending.setLength(0);
            int space = whole.indexOf(' ');
            String keyword = whole.substring(0, space).toUpperCase();
            if (keyword.equals("FROM")) {
                stage++;
            }
            out.add(new Instruction(stage, keyword, whole.substring(space + 1).strip()));
        }
        return out;
    }

    static List<Instruction> lastStage(List<Instruction> all) {
        int last = all.get(all.size() - 1).stage();
        return all.stream().filter(i -> i.stage() == last).toList();
    }

    static String one(List<Instruction> stage, String keyword) {
        List<String> found = stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
        assertFalse(found.isEmpty(), "no " + keyword + " in " + stage);
        return found.get(found.size() - 1); // the last one is the one that counts
    }

    static List<String> jsonArray(String exec) throws IOException {
        List<String> out = new ArrayList<>();
        new JsonMapper().readTree(exec).forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theNativeImageIsBuiltWithMandrelAndRunsTokenbenchAsNonRoot() throws IOException {
        List<Instruction> all = dockerfile(Path.of("Dockerfile"));
        List<String> froms = all.stream().filter(i -> i.keyword().equals("FROM")).map(Instruction::args).toList();
        assertTrue(froms.size() >= 2, "multi-stage: " + froms);
        assertTrue(froms.stream().anyMatch(f -> f.contains("mandrel-builder-image")), "a Mandrel builder: " + froms);
        String runtime = froms.get(froms.size() - 1);
        assertTrue(runtime.contains("quarkus-micro-image") || runtime.contains("distroless"), runtime);
        assertTrue(all.stream().anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("native-image")),
                "native-image runs in a build stage");
        assertTrue(all.stream().anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("-Dnative")),
                "the Maven build uses the pom's native profile");
        assertImageContract(all, "Dockerfile");
    }

    @Test
    void theJvmImageHasTheSameContract() throws IOException {
        List<Instruction> all = dockerfile(Path.of("Dockerfile.jvm"));
        assertTrue(all.stream().filter(i -> i.keyword().equals("FROM")).count() >= 2, "multi-stage");
        assertTrue(lastStage(all).stream().anyMatch(i -> i.keyword().equals("COPY")
                && i.args().contains("quarkus-app")), "the runtime holds the fast-jar");
        assertImageContract(all, "Dockerfile.jvm");
    }

    private static void assertImageContract(List<Instruction> all, String name) throws IOException {
        List<Instruction> runtime = lastStage(all);
        String user = one(runtime, "USER");
        assertTrue(user.matches("[1-9][0-9]*(:[0-9]+)?"), name + ": a numeric non-root USER, not " + user);
        List<String> entrypoint = jsonArray(one(runtime, "ENTRYPOINT"));
        assertEquals(1, entrypoint.size(), name + ": the entrypoint is tokenbench itself, so args are commands");
        assertTrue(entrypoint.get(0).endsWith("/tokenbench"), name + ": " + entrypoint);
        assertEquals(List.of("run"), jsonArray(one(runtime, "CMD")), name + ": no args runs the bundled demo");
        assertEquals("/work", one(runtime, "WORKDIR"), name + ": runs/ and data/ are written under /work");
        assertEquals("8080", one(runtime, "EXPOSE"), name + ": serve's default port");
        assertTrue(runtime.stream().anyMatch(i -> i.keyword().equals("ENV")
                && i.args().equals("TOKENBENCH_SERVE_HOST=0.0.0.0")),
                name + ": serve binds loopback by default; the image opens it to the published port");
        // What the build copies from the context exists (and is what the jar needs: seeds are resources).
        for (Instruction copy : all) {
            if (copy.keyword().equals("COPY") && !copy.args().contains("--from=")) {
                String[] parts = copy.args().replaceAll("--chown=\\S+", "").strip().split("\\s+");
                for (int i = 0; i < parts.length - 1; i++) {
                    assertTrue(Files.exists(Path.of(parts[i])), name + ": COPY " + parts[i] + " is not in the repository");
                }
            }
        }
        for (String needed : List.of("pom.xml", "src", "seeds")) {
            assertTrue(all.stream().anyMatch(i -> i.keyword().equals("COPY") && i.args().startsWith(needed + " ")
                    || i.keyword().equals("COPY") && i.args().contains(" " + needed + " ")), name + " copies " + needed);
        }
    }

    @Test
    void theComposeStackServesSchedulesAndScrapes() throws Exception {
        JsonNode compose = yaml(COMPOSE_DIR.resolve("compose.yaml"));
        JsonNode services = compose.path("services");
        for (String name : List.of("tokenbench", "prometheus", "pushgateway", "grafana")) {
            assertTrue(services.has(name), "service " + name);
        }
        // Every host path mounted exists (relative to the compose file).
        services.fields().forEachRemaining(service -> service.getValue().path("volumes").forEach(v -> {
            String host = v.asText().split(":")[0];
            if (host.startsWith(".")) {
                assertTrue(Files.exists(COMPOSE_DIR.resolve(host)), service.getKey() + " mounts " + host);
            }
        }));
        services.fields().forEachRemaining(service -> {
            JsonNode build = service.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = COMPOSE_DIR.resolve(build.path("context").asText());
                assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText("Dockerfile"))),
                        service.getKey() + " builds " + build);
            }
        });

        JsonNode tokenbench = services.path("tokenbench");
        List<String> command = texts(tokenbench.path("command"));
        assertEquals("serve", command.get(0));
        String port = command.get(command.indexOf("--port") + 1);
        assertEquals("0.0.0.0", command.get(command.indexOf("--host") + 1), "reachable from the other containers");
        assertTrue(texts(tokenbench.path("ports")).contains(port + ":" + port), "published " + port);
        assertTrue(tokenbench.path("environment").has("TOKENBENCH_API_TOKEN"), "serve needs its bearer token");
        // The application reads config/application.yaml in its working directory (the image's WORKDIR).
        assertEquals("/work/config/application.yaml", mountTarget(tokenbench, "./tokenbench/application.yaml"));
        assertEquals("/work/benchmarks", mountTarget(tokenbench, "./tokenbench/benchmarks"));

        // The schedule names a benchmark that exists and runs only against the built-in simulator.
        JsonNode config = yaml(COMPOSE_DIR.resolve("tokenbench/application.yaml")).path("tokenbench");
        assertEquals("/work/" + config.at("/serve/benchmarks-dir").asText(), mountTarget(tokenbench, "./tokenbench/benchmarks"));
        assertEquals("/work/" + config.at("/store/data-dir").asText(), mountTarget(tokenbench, "tokenbench-data"));
        List<String> scheduled = new ArrayList<>();
        config.at("/serve/schedules").fieldNames().forEachRemaining(scheduled::add);
        assertFalse(scheduled.isEmpty(), "a schedule");
        for (String benchmark : scheduled) {
            String cron = config.at("/serve/schedules").path(benchmark).asText();
            assertEquals(6, cron.split(" ").length, benchmark + ": a Quartz cron with seconds: " + cron);
            Path file = COMPOSE_DIR.resolve("tokenbench/benchmarks").resolve(benchmark + ".yaml");
            RunPlan plan = new BenchmarkLoader(name -> null, file.getParent(), ProviderRegistry.defaults()).load(file.getFileName());
            assertFalse(plan.targets().isEmpty());
            for (TargetSpec target : plan.targets()) {
                assertTrue(target.baseUrl().startsWith("sim://"), target.name() + " must need no keys: " + target.baseUrl());
            }
        }

        // Prometheus scrapes serve's /q/metrics and the Pushgateway (keeping pushed labels), with the alert rules.
        JsonNode prometheus = yaml(COMPOSE_DIR.resolve("prometheus/prometheus.yml"));
        JsonNode serveJob = job(prometheus, "tokenbench-serve");
        assertEquals("/q/metrics", serveJob.path("metrics_path").asText());
        assertEquals("tokenbench:" + port, serveJob.at("/static_configs/0/targets/0").asText());
        JsonNode pushJob = job(prometheus, "pushgateway");
        assertTrue(pushJob.path("honor_labels").asBoolean(), "honor_labels on the Pushgateway job");
        String pushTarget = pushJob.at("/static_configs/0/targets/0").asText();
        assertTrue(texts(services.path("pushgateway").path("ports")).contains(
                pushTarget.split(":")[1] + ":" + pushTarget.split(":")[1]), pushTarget);
        String rules = prometheus.at("/rule_files/0").asText();
        assertEquals(rules, mountTarget(services.path("prometheus"), "../../dashboards/prometheus/tokenbench-alerts.yml"));
        List<String> probeCommand = texts(services.path("probe-once").path("command"));
        assertEquals("http://" + pushTarget, probeCommand.get(probeCommand.indexOf("--push-gateway") + 1));

        // Grafana: the provisioning from dashboards/ points at this Prometheus and at the mounted dashboards.
        JsonNode grafana = services.path("grafana");
        JsonNode datasources = yaml(Path.of("dashboards/grafana/provisioning/datasources/tokenbench.yml"));
        assertEquals("http://prometheus:9090", datasources.at("/datasources/0/url").asText());
        assertTrue(texts(services.path("prometheus").path("ports")).contains("9090:9090"));
        JsonNode providers = yaml(Path.of("dashboards/grafana/provisioning/dashboards/tokenbench.yml"));
        assertEquals(providers.at("/providers/0/options/path").asText(), mountTarget(grafana, "../../dashboards/grafana"));
        assertEquals("/etc/grafana/provisioning/datasources",
                mountTarget(grafana, "../../dashboards/grafana/provisioning/datasources"));
        assertEquals("/etc/grafana/provisioning/dashboards",
                mountTarget(grafana, "../../dashboards/grafana/provisioning/dashboards"));
    }

    @Test
    void theComposeDemoIsTheBundledDemoWithSyntheticPrompts() throws IOException {
        List<String> bundled = Files.readAllLines(Path.of("seeds/demo.yaml"));
        List<String> copy = Files.readAllLines(COMPOSE_DIR.resolve("tokenbench/benchmarks/demo.yaml"));
        List<String> copyBody = copy.stream().dropWhile(l -> l.startsWith("#")).toList();
        List<String> bundledBody = bundled.stream().dropWhile(l -> l.startsWith("#")).toList();
        assertEquals(bundledBody.size(), copyBody.size(), "only the prompts line differs from seeds/demo.yaml");
        for (int i = 0; i < bundledBody.size(); i++) {
            if (!bundledBody.get(i).startsWith("prompts:")) {
                assertEquals(bundledBody.get(i), copyBody.get(i), "line " + i + " differs from seeds/demo.yaml");
            }
        }
    }

    private static JsonNode yaml(Path file) {
        return Kustomize.readAll(file).get(0);
    }

    private static JsonNode job(JsonNode prometheus, String name) {
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (job.path("job_name").asText().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no scrape job " + name);
    }

    private static String mountTarget(JsonNode service, String host) {
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts[0].equals(host)) {
                return parts[1];
            }
        }
        throw new AssertionError("nothing mounts " + host + " in " + service.path("volumes"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
