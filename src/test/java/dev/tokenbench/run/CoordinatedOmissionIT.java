package dev.tokenbench.run;

import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.ProviderRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An open-loop run whose client freezes for a second mid-run (every event loop blocked, as a long GC pause or an
 * overloaded load generator would). The endpoint is fine throughout, so TTFT measured from the actual send hides
 * the stall; TTFT from the intended start and the late-start count must show it.
 */
class CoordinatedOmissionIT {
    private static final String BENCHMARK = """
            name: coordinated-omission
            targets:
              - {name: steady, api: openai-chat, base-url: 'sim://steady/v1', model: m}
            prompts: {synthetic: {input-tokens: 16, output-tokens: 8, count: 2}}
            load: {mode: open, rate: 20, arrival: fixed, requests: 60, warmup: 2, timeout: 10s, stall-timeout: 5s}
            simulator:
              scenarios:
                steady: {ttft: 40ms, tokens-per-second: 200}
            """;

    @Test
    void aClientStallShowsInTtftFromIntendedAndLateStartsNotInTtft(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            ProviderRegistry providers = ProviderRegistry.defaults();
            RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("co.yaml", BENCHMARK, dir);
            ConcurrentLinkedQueue<RequestRecord> records = new ConcurrentLinkedQueue<>();
            RunEngine.Handle handle = new RunEngine(vertx, providers).start(plan, "co", dir, records::add);
            // Freeze every client event loop for 1 s, 1.5 s after the start (after warm-up, mid-phase).
            AtomicLong freezeStartNanos = new AtomicLong(Long.MAX_VALUE);
            for (EventExecutor loop : ((VertxInternal) vertx).getEventLoopGroup()) {
                loop.schedule(() -> {
                    freezeStartNanos.accumulateAndGet(System.nanoTime(), Math::min);
                    sleep(1_000);
                }, 1_500, TimeUnit.MILLISECONDS);
            }
            RunResult result = handle.await();
            TargetSummary s = result.targets().get(0);
            assertEquals(60, s.ok(), s.outcomes().toString());

            List<RequestRecord> measured = records.stream().filter(r -> !r.warmup()).toList();
            double maxFromIntended = measured.stream().mapToDouble(RequestRecord::ttftFromIntendedMs).max()
                    .orElseThrow();
            long lateButFast = measured.stream()
                    .filter(r -> r.startDelayMs() > 300 && r.ttftMs() < 300).count();
            String figures = "late starts " + s.lateStarts() + ", ttft p50 " + s.metric(Metric.TTFT_MS).p50()
                    + " ms, ttft_from_intended p50 " + s.metric(Metric.TTFT_FROM_INTENDED_MS).p50() + " max "
                    + maxFromIntended + " ms, max start delay " + s.metric(Metric.START_DELAY_MS).max() + " ms";
            System.out.println("[coordinated-omission] " + figures);

            // ~20 requests were due during the 1 s freeze at 20/s: all of them started late.
            assertTrue(s.lateStarts() >= 15, figures);
            assertTrue(maxFromIntended >= 900, "the stall shows from the intended start: " + figures);
            assertTrue(lateButFast >= 10, "requests that went out late still had a fast ttft: " + figures);
            assertTrue(s.metric(Metric.TTFT_MS).p50() < 200, "ttft alone looks healthy: " + figures);

            // The intended schedule, computed here from the load block alone (20/s, fixed: request k of the phase
            // at k x 50 ms) and anchored at the phase's first request, must be each request's t_intended: a driver
            // that re-stamped a late request with its actual start (absorbing the stall) fails here.
            List<RequestRecord> bySequence = measured.stream()
                    .sorted(Comparator.comparingLong(CoordinatedOmissionIT::sequence)).toList();
            long firstSequence = sequence(bySequence.get(0));
            long phaseStart = bySequence.get(0).intendedStartNanos();
            int dueDuringFreeze = 0;
            for (RequestRecord r : bySequence) {
                long k = sequence(r) - firstSequence;
                long scheduled = phaseStart + Math.round(k * 50e6);
                assertEquals(scheduled, r.intendedStartNanos(), r.requestId() + " keeps its place in the schedule");
                // From the raw first-token stamp and the schedule, not from the record's own derived figures.
                double fromScheduleMs = (r.firstTokenNanos() - scheduled) / 1e6;
                assertEquals(fromScheduleMs, r.ttftFromIntendedMs(), 0.002, r.requestId());
                long freezeEnd = freezeStartNanos.get() + 1_000_000_000L;
                if (scheduled >= freezeStartNanos.get() + 100_000_000L && scheduled < freezeEnd - 300_000_000L) {
                    // Due well inside the freeze: it cannot have gone out, let alone answered, before the freeze ended.
                    dueDuringFreeze++;
                    assertTrue(fromScheduleMs >= (freezeEnd - scheduled) / 1e6,
                            r.requestId() + " due " + (scheduled - freezeStartNanos.get()) / 1e6
                                    + " ms into the freeze: " + fromScheduleMs + " ms from its intended start");
                }
            }
            assertTrue(dueDuringFreeze >= 8, "requests due during the freeze: " + dueDuringFreeze);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The request's number in the run, from its id ({@code tb-<run>-<target>-<sequence>}). */
    private static long sequence(RequestRecord r) {
        return Long.parseLong(r.requestId().substring(r.requestId().lastIndexOf('-') + 1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
