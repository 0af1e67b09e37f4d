package dev.tokenbench.cli;

import dev.tokenbench.store.RunFilter;
import dev.tokenbench.store.RunInfo;
import dev.tokenbench.store.SqliteHistoryStore;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CLI run lands in the embedded history with no set-up (and not with --no-history). */
@QuarkusMainTest
@TestProfile(RunHistoryTest.Profile.class)
class RunHistoryTest {
    static final Path DATA = Path.of("target", "run-history-test-" + ProcessHandle.current().pid());

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokenbench.store.data-dir", DATA.toString(), "tokenbench.probe.name", "laptop");
        }
    }

    @Test
    void aFinishedRunIsStoredInHistory(QuarkusMainLauncher launcher) {
        Path bench = Path.of("src/test/resources/serve/benchmarks/quick.yaml");
        LaunchResult stored = launcher.launch("run", bench.toString(), "--out",
                DATA.resolve("runs").resolve("a").toString(), "-q");
        assertEquals(0, stored.exitCode(), stored.getOutput() + stored.getErrorOutput());
        LaunchResult notStored = launcher.launch("run", bench.toString(), "--out",
                DATA.resolve("runs").resolve("b").toString(), "-q", "--no-history");
        assertEquals(0, notStored.exitCode(), notStored.getErrorOutput());

        List<RunInfo> runs = SqliteHistoryStore.open(DATA).list(RunFilter.all());
        assertEquals(1, runs.size(), runs.toString());
        assertEquals("quick", runs.get(0).name());
        assertEquals("laptop", runs.get(0).probe());
        assertTrue(runs.get(0).id().matches("\\d{8}-\\d{6}-quick-[0-9a-z]{8}"), runs.get(0).id());
        assertEquals(8, runs.get(0).measured());

        // compare --history finds it in the configured store (tokenbench.store.data-dir), by its probe.
        LaunchResult compared = launcher.launch("compare", "--history", "--benchmark", "quick", "--since", "1h",
                "--by", "probe", "--out", DATA.resolve("compare").toString());
        assertEquals(0, compared.exitCode(), compared.getOutput() + compared.getErrorOutput());
        assertTrue(compared.getOutput().contains("comparing 1 run from history"), compared.getOutput());
        assertTrue(compared.getOutput().lines().anyMatch(l -> l.matches("fast@laptop \\(baseline\\) +4/4 .*")),
                compared.getOutput());

        // --probe names the run everywhere: its metrics' label and the probe it is stored as.
        LaunchResult probed = launcher.launch("run", bench.toString(), "--out",
                DATA.resolve("runs").resolve("c").toString(), "-q", "--probe", "eu-west");
        assertEquals(0, probed.exitCode(), probed.getErrorOutput());
        List<RunInfo> after = SqliteHistoryStore.open(DATA).list(RunFilter.all());
        assertEquals(2, after.size(), after.toString());
        assertTrue(after.stream().anyMatch(r -> r.probe().equals("eu-west")), after.toString());
    }
}
