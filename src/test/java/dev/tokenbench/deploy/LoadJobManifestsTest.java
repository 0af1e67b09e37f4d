package dev.tokenbench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.ShardSpec;
import dev.tokenbench.provider.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tokenbench.deploy.KustomizeManifestsTest.K8S;
import static dev.tokenbench.deploy.KustomizeManifestsTest.assertResources;
import static dev.tokenbench.deploy.KustomizeManifestsTest.env;
import static dev.tokenbench.deploy.KustomizeManifestsTest.envEntry;
import static dev.tokenbench.deploy.KustomizeManifestsTest.envFromSecrets;
import static dev.tokenbench.deploy.KustomizeManifestsTest.mountedVolume;
import static dev.tokenbench.deploy.KustomizeManifestsTest.only;
import static dev.tokenbench.deploy.KustomizeManifestsTest.onlyContainer;
import static dev.tokenbench.deploy.KustomizeManifestsTest.texts;
import static dev.tokenbench.deploy.KustomizeManifestsTest.volumeSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/k8s/load rendered as kustomize would: an Indexed Job whose pods are the shards of one run, started at one
 * instant written at apply time, spread over nodes, publishing to the central service.
 */
class LoadJobManifestsTest {
    private static final Path LOAD = K8S.resolve("load");

    @Test
    void anIndexedJobRunsOneShardPerPodStartingAtTheInstantWrittenAtApplyTime() throws Exception {
        List<ObjectNode> objects = Kustomize.render(LOAD);
        ObjectNode job = only(objects, "Job");
        assertEquals("batch/v1", job.path("apiVersion").asText());
        assertEquals("tokenbench", job.at("/metadata/namespace").asText());
        JsonNode spec = job.path("spec");
        assertEquals("Indexed", spec.path("completionMode").asText(), "JOB_COMPLETION_INDEX is set in Indexed Jobs");
        int shards = spec.path("completions").asInt();
        assertTrue(shards >= 2, "completions " + shards);
        assertEquals(shards, spec.path("parallelism").asInt(), "every shard runs at once");
        assertEquals(0, spec.path("backoffLimit").asInt(-1), "a shard restarted after the instant is not retried");

        JsonNode pod = spec.at("/template/spec");
        assertEquals("Never", pod.path("restartPolicy").asText());
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        JsonNode container = onlyContainer(pod, "load: ");
        assertResources(container, "load: ");
        Map<String, String> env = env(container);
        assertEquals(String.valueOf(shards), env.get(ShardSpec.COUNT_ENV), "the count of shards is the Job's");

        List<String> args = texts(container.path("args"));
        assertEquals(List.of("run", "/config/bench.yaml"), args.subList(0, 2), "args " + args);
        assertTrue(!args.contains("--shard"), "the shard comes from the Job's index: " + args);
        assertEquals("$(TOKENBENCH_START_AT)", args.get(args.indexOf("--start-at") + 1), "args " + args);
        assertEquals("$(TOKENBENCH_PUBLISH_URL)", args.get(args.indexOf("--publish") + 1), "args " + args);
        assertEquals("$(TOKENBENCH_PUSH_GATEWAY)", args.get(args.indexOf("--push-gateway") + 1), "args " + args);
        assertEquals(Set.of("tokenbench-provider-keys", "tokenbench-publish"), envFromSecrets(container));

        // The start instant: a ConfigMap key that apply.sh writes just before it applies the Job.
        JsonNode startAt = envEntry(container, "TOKENBENCH_START_AT").at("/valueFrom/configMapKeyRef");
        String script = Files.readString(LOAD.resolve("apply.sh"));
        assertTrue(script.contains("create configmap " + startAt.path("name").asText() + " --from-literal="
                + startAt.path("key").asText() + "="), "apply.sh writes " + startAt + ":\n" + script);
        assertTrue(script.contains("delete job " + job.at("/metadata/name").asText()), "apply.sh replaces the Job");
        assertTrue(Files.isExecutable(LOAD.resolve("apply.sh")));

        // Spread over nodes: anti-affinity on the host name, selecting the Job's own pods.
        JsonNode term = pod.at("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0"
                + "/podAffinityTerm");
        assertEquals("kubernetes.io/hostname", term.path("topologyKey").asText());
        JsonNode podLabels = spec.at("/template/metadata/labels");
        term.at("/labelSelector/matchLabels").fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
                podLabels.path(e.getKey()).asText(), "the anti-affinity selects the shards' pods: " + podLabels));
        assertEquals("load", podLabels.path("app.kubernetes.io/component").asText());

        // The benchmark mounted at /config is the rendered ConfigMap's.
        ObjectNode configMap = only(objects, "ConfigMap");
        String volume = mountedVolume(container, "/config", "load: ");
        assertEquals(configMap.at("/metadata/name").asText(), volumeSource(pod, volume).at("/configMap/name")
                .asText());
    }

    @Test
    void theBundledLoadBenchmarkIsValidAndShardable(@TempDir Path dir) throws Exception {
        ObjectNode configMap = only(Kustomize.render(LOAD), "ConfigMap");
        Path bench = dir.resolve("bench.yaml");
        Files.writeString(bench, configMap.at("/data/bench.yaml").asText());
        RunPlan plan = new BenchmarkLoader(name -> null, dir, ProviderRegistry.defaults()).load(bench);
        LoadSpec load = plan.load();
        assertTrue(load.steps() == null || !load.steps().isSearch(), "a search cannot be sharded");
        int shards = only(Kustomize.render(LOAD), "Job").at("/spec/completions").asInt();
        int total = 0;
        for (int i = 0; i < shards; i++) {
            total += new ShardSpec(i, shards, null).share(load.requests());
        }
        assertEquals(load.requests(), total);
    }
}
