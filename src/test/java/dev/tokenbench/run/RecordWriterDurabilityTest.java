package dev.tokenbench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.provider.ProviderRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the record writer makes durable and when, and what a failure of it does to the run: real runs against the
 * in-process simulator, with the force of requests.jsonl seen through {@link RecordWriter.Sync}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a safety net against a hang, not a timing assertion
class RecordWriterDurabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static RunPlan plan(Path dir, int requests) throws Exception {
        String yaml = """
                name: durable
                targets: [{name: x, api: openai-chat, base-url: 'sim://fast/v1', model: m}]
                prompts: {synthetic: {input-tokens: 10, output-tokens: 5, count: 3}}
                load: {mode: closed, concurrency: 2, requests: %d, warmup: 0}
                simulator:
                  scenarios:
                    fast: {ttft: 1ms, tokens-per-second: 5000, output-tokens: 5}
                """.formatted(requests);
        return new BenchmarkLoader(n -> null, dir, ProviderRegistry.defaults()).load("d.yaml", yaml, dir);
    }

    /** Each force, as the number of whole lines requests.jsonl held at that moment. */
    private static RecordWriter.Sync countingLines(Path requests, List<Integer> linesAtForce) {
        return channel -> {
            channel.force(false);
            linesAtForce.add(Files.readAllLines(requests).size());
        };
    }

    private static RunEngine.Handle start(Path dir, RunPlan plan, int fsyncEvery, RecordWriter.Sync sync,
            Consumer<RequestRecord> listener) throws Exception {
        return new RunEngine(vertx, ProviderRegistry.defaults()).fsyncEvery(fsyncEvery).sync(sync)
                .start(plan, "durable", dir, listener);
    }

    @Test
    void recordsAreForcedEveryNRecordsAndAtTheEnd(@TempDir Path dir) throws Exception {
        List<Integer> linesAtForce = new CopyOnWriteArrayList<>();
        RunResult result = start(dir, plan(dir, 23), 5, countingLines(dir.resolve("requests.jsonl"), linesAtForce),
                null).await();
        assertEquals(RunResult.DONE, result.status());
        assertEquals(List.of(5, 10, 15, 20, 23), linesAtForce, "after records 5, 10, 15, 20 and at the end");
    }

    @Test
    void withoutFsyncEveryRecordsAreForcedOnceAtTheEnd(@TempDir Path dir) throws Exception {
        List<Integer> linesAtForce = new CopyOnWriteArrayList<>();
        start(dir, plan(dir, 12), 0, countingLines(dir.resolve("requests.jsonl"), linesAtForce), null).await();
        assertEquals(List.of(12), linesAtForce);
    }

    @Test
    void aFailedForceStopsTheRunWithTheFileAndTheCauseAndLeavesWholeLines(@TempDir Path dir) throws Exception {
        AtomicInteger forces = new AtomicInteger();
        RecordWriter.Sync diskFullOnSecond = channel -> {
            if (forces.incrementAndGet() == 2) {
                throw new IOException("No space left on device");
            }
        };
        RunEngine.Handle handle = start(dir, plan(dir, 5000), 3, diskFullOnSecond, null);
        WriteFailure failure = assertThrows(WriteFailure.class, handle::await);
        assertEquals("writing " + dir.resolve("requests.jsonl") + " failed: No space left on device",
                failure.getMessage());
        assertTrue(handle.stopping(), "the engine stopped starting requests");
        List<String> lines = Files.readAllLines(dir.resolve("requests.jsonl"));
        assertEquals(6, lines.size(), "nothing written after the failed force: " + lines.size());
        for (String line : lines) {
            JSON.readTree(line);
        }
        assertEquals(2, forces.get(), "no force after the failure, none at the end");
    }

    @Test
    void anOutOfMemoryErrorOnTheWriterThreadEndsTheRunInsteadOfKillingTheThread(@TempDir Path dir)
            throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Consumer<RequestRecord> exhausted = record -> {
            if (seen.incrementAndGet() == 4) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        RunEngine.Handle handle = start(dir, plan(dir, 5000), 0, RecordWriter.Sync.FORCE, exhausted);
        WriteFailure failure = assertThrows(WriteFailure.class, handle::await);
        assertTrue(failure.getMessage().contains("requests.jsonl failed: out of memory"), failure.getMessage());
        List<String> lines = Files.readAllLines(dir.resolve("requests.jsonl"));
        assertEquals(4, lines.size(), "the fourth line was written before its listener failed");
        assertFalse(Files.exists(dir.resolve("run.json")));
    }

    @Test
    void aRunDirectoryThatCannotBeWrittenIsAWriteFailureNamingTheFile(@TempDir Path dir) throws Exception {
        Path blocked = dir.resolve("run");
        Files.writeString(blocked, "a file where the run directory should be");
        WriteFailure failure = assertThrows(WriteFailure.class, () -> start(blocked, plan(dir, 3), 0,
                RecordWriter.Sync.FORCE, null));
        assertTrue(failure.getMessage().startsWith("writing " + blocked.resolve("requests.jsonl") + " failed: "),
                failure.getMessage());
    }
}
