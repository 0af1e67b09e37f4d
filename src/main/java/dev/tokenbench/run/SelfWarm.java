package dev.tokenbench.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.config.TlsSpec;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TargetSummary;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimApi;
import dev.tokenbench.sim.SimConfig;
import dev.tokenbench.sim.SimScenario;
import dev.tokenbench.sim.SimTls;
import dev.tokenbench.sim.Simulator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Warms the client's own hot path before the first measured request, so that the first request of a fresh process
 * is measured as exactly as the last: without it, class loading and the interpreter put the first request of every
 * target 20-30 ms late (issue 16). For every API (and scheme) of the plan it runs the plan's own targets, through the
 * same {@link TargetRunner} code (HTTP client, framer, decoder, record and aggregate), on the run's own event loops,
 * against a throwaway simulator on 127.0.0.1, until the JIT has gone quiet or the time limit is up. An https target
 * is warmed over https, on a second throwaway simulator that serves a self-signed certificate given to the target as
 * its {@code ca-file}, with the target's own HTTP version and TLS engine: the handshakes, certificate checks and
 * record layer then run before the first real connection, whose {@code connect_ms} does not pay for them.
 *
 * <p>Nothing of it is kept: its records go to a scratch file that is deleted, its aggregates are dropped, no
 * observer (metrics) sees it, and the run's clock starts after it. Only {@link Report} says that it happened.
 * A warm-up that fails costs only that precision: it never fails the run.
 */
final class SelfWarm {
    static final String SCENARIO = "self-warm";
    private static final int OUTPUT_TOKENS = 32;
    private static final List<SimApi> SIMULATED_APIS = ProviderRegistry.defaults().simApis();
    /** Workers (so connections) per warmed target and round. */
    private static final int WORKERS_PER_TARGET = 4;
    /** A round's length: each round opens new connections with new clients. */
    private static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MS = 50;
    /** The JIT counts as done once it has compiled nothing for this long ... */
    private static final long JIT_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** ... after at least this share of the limit (early on, it is quiet while classes load). */
    private static final double MIN_SHARE_OF_LIMIT = 0.4;

    /**
     * What the warm-up did, for plan.json.
     *
     * @param tookNanos  its whole time, the throwaway simulator's start included
     * @param requests   warm requests finished
     * @param failed     of those, how many did not end ok (an API the simulator refused, a timeout)
     * @param endedBy    {@code jit-quiet} (the JIT compiled nothing for a while), {@code time-limit}, or
     *                   {@code no-jit} (a native image, or a JVM that does not say: one round, compiled ahead of time)
     * @param tls        whether TLS was warmed: a warm request over https ended ok
     * @param error      why it stopped short, or the first failed warm request (its API, outcome and error), or null
     */
    record Report(long tookNanos, long requests, long failed, String endedBy, boolean tls, String error) {
        static final Report SKIPPED = new Report(0, 0, 0, null, false, null);

        ObjectNode toJson(boolean enabled) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("enabled", enabled);
            if (!enabled) {
                return n;
            }
            n.put("took_ms", Math.round(tookNanos / 1e5) / 10.0);
            n.put("requests", requests);
            n.put("failed", failed);
            n.put("ended_by", endedBy);
            n.put("tls", tls);
            if (error != null) {
                n.put("error", error);
            }
            return n;
        }
    }

    private SelfWarm() {
    }

    /**
     * Warms on {@code contexts}, the run's event loops, for at most {@code limit} of requests (plus the throwaway
     * simulator's start). Returns early, with what it did, when the thread is interrupted.
     */
    static Report run(Vertx vertx, RunPlan plan, ProviderRegistry providers, List<Context> contexts,
            Duration limit) {
        long startNanos = System.nanoTime();
        boolean anyHttps = plan.targets().stream().anyMatch(t -> t.baseUrl().startsWith("https:"));
        Vertx simVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Path scratch = null;
        List<TargetRunner> runners = new ArrayList<>();
        RecordWriter writer = null;
        long requests = 0;
        long failed = 0;
        boolean tls = false;
        String endedBy = JitWatch.TIME_LIMIT;
        String error = null;
        try {
            SimConfig config = new SimConfig(Map.of(SCENARIO, SimScenario.quick(SCENARIO, OUTPUT_TOKENS)));
            Simulator simulator = await(Simulator.start(simVertx, config, "127.0.0.1", 0, SIMULATED_APIS),
                    Duration.ofSeconds(30));
            SimTls simTls = anyHttps ? SimTls.selfSigned() : null;
            Simulator httpsSimulator = simTls == null ? null : await(Simulator.start(simVertx, config, "127.0.0.1", 0,
                    SIMULATED_APIS, simTls), Duration.ofSeconds(30));
            scratch = Files.createTempDirectory("tokenbench-self-warm");
            // No fsync: the file is thrown away.
            writer = new RecordWriter(scratch.resolve("requests.jsonl"), null, failure -> { }, 0, channel -> { });
            RunPlan warmPlan = plan.withLoad(new LoadSpec(LoadSpec.CLOSED, WORKERS_PER_TARGET, LoadSpec.UNBOUNDED, 0,
                    REQUEST_TIMEOUT, REQUEST_TIMEOUT));
            JitWatch jit = new JitWatch(System.nanoTime(), limit);
            boolean done = false;
            // In rounds, each with new clients: a real target's first request opens a connection with a new
            // client, so that code is warmed as well as the per-request and per-event code.
            while (!done) {
                AtomicBoolean stop = new AtomicBoolean();
                List<TargetRunner> round = new ArrayList<>();
                Set<String> warmed = new HashSet<>();
                for (int i = 0; i < plan.targets().size(); i++) {
                    TargetSpec spec = plan.targets().get(i);
                    // One target per API and scheme: the code is the same for every target of an API.
                    boolean https = spec.baseUrl().startsWith("https:");
                    if (warmed.add(spec.api() + " " + https + " " + spec.tls().httpVersion())) {
                        TargetSpec warmSpec = https ? spec.withTls(new TlsSpec(spec.tls().httpVersion(), false,
                                new TlsSpec.PemFile("self-warm simulator", simTls.certificatePem()), null, null))
                                : spec;
                        String baseUrl = https
                                ? warmBaseUrl(plan, spec, providers.get(spec.api()), "https", httpsSimulator.port())
                                : warmBaseUrl(plan, spec, providers.get(spec.api()), "http", simulator.port());
                        round.add(new TargetRunner(vertx, "self-warm", warmPlan,
                                new TargetRunner.Target(i, warmSpec, baseUrl, providers.get(spec.api())), writer,
                                new TargetRunner.Controls(stop::get, null, null)));
                    }
                }
                runners.addAll(round);
                List<Future<Void>> all = new ArrayList<>();
                for (TargetRunner r : round) {
                    all.add(r.run(contexts, null));
                }
                done = jit.waitUpTo(System.nanoTime() + ROUND_NANOS);
                stop.set(true);
                await(Future.join(all), REQUEST_TIMEOUT.plusSeconds(5));
                for (TargetRunner r : round) {
                    awaitQuietly(r.close());
                }
            }
            endedBy = jit.endedBy();
            await(writer.barrier(), REQUEST_TIMEOUT);
            writer.close();
            writer = null;
            for (TargetRunner r : runners) {
                TargetSummary s = r.summarize();
                requests += s.requests();
                failed += s.failed();
                tls |= r.spec().baseUrl().startsWith("https:") && s.requests() > s.failed();
                if (error == null && !s.failures().isEmpty()) {
                    RequestRecord first = s.failures().get(0);
                    error = r.spec().api() + ": " + first.outcome() + " " + first.error();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (IOException | RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            if (writer != null) {
                closeQuietly(writer);
            }
            for (TargetRunner r : runners) {
                awaitQuietly(r.close());
            }
            awaitQuietly(simVertx.close());
            deleteQuietly(scratch);
        }
        return new Report(System.nanoTime() - startNanos, requests, failed, endedBy, tls, error);
    }

    /**
     * A target's base URL on the throwaway simulator: its path under the warm scenario, as the simulator routes
     * {@code sim://scenario/v1}, less as many leading segments as it takes for the simulator to serve the request
     * the API prepares there (a target on another simulator has that one's scenario in its path:
     * {@code http://host/fast/v1}). When none fits, the path as it is: the warm-up's requests then fail, and plan.json
     * says so.
     */
    static String warmBaseUrl(RunPlan plan, TargetSpec spec, ProviderApi api, String scheme, int port) {
        String root = scheme + "://127.0.0.1:" + port + "/" + SCENARIO;
        String path = URI.create(spec.baseUrl()).getRawPath();
        path = path == null ? "" : path;
        Prompt prompt = plan.prompts().prompts().get(0);
        String candidate = path;
        while (true) {
            PreparedRequest request = api.prepare(spec, root + candidate, prompt, plan.maxOutputTokensFor(spec));
            String apiPath = URI.create(request.absoluteUri()).getRawPath().substring(SCENARIO.length() + 1);
            if (SIMULATED_APIS.stream().anyMatch(sim -> sim.handles(request.method(), apiPath))) {
                return root + candidate;
            }
            if (candidate.isEmpty()) {
                return root + path;
            }
            int next = candidate.indexOf('/', 1);
            candidate = next < 0 ? "" : candidate.substring(next);
        }
    }

    /**
     * Whether the warm-up is done: the JIT has compiled nothing for a while (after a minimum share of the limit), or
     * the limit is up.
     */
    private static final class JitWatch {
        static final String JIT_QUIET = "jit-quiet";
        static final String TIME_LIMIT = "time-limit";
        static final String NO_JIT = "no-jit";
        private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        private final boolean canTell = jit != null && jit.isCompilationTimeMonitoringSupported();
        private final long earliestNanos;
        private final long deadlineNanos;
        private long lastCompileMs;
        private long quietSinceNanos;
        private String endedBy = TIME_LIMIT;

        JitWatch(long fromNanos, Duration limit) {
            this.earliestNanos = fromNanos + (long) (limit.toNanos() * MIN_SHARE_OF_LIMIT);
            this.deadlineNanos = fromNanos + limit.toNanos();
            this.lastCompileMs = canTell ? jit.getTotalCompilationTime() : 0;
            this.quietSinceNanos = fromNanos;
        }

        /** Waits until {@code untilNanos} at most; true once the warm-up is done. */
        boolean waitUpTo(long untilNanos) throws InterruptedException {
            while (true) {
                long now = System.nanoTime();
                if (now >= deadlineNanos) {
                    return true;
                }
                if (now >= untilNanos) {
                    if (!canTell) {
                        endedBy = NO_JIT; // nothing to wait for: the round has run the code once over
                    }
                    return !canTell;
                }
                long leftMs = TimeUnit.NANOSECONDS.toMillis(Math.min(untilNanos, deadlineNanos) - now);
                Thread.sleep(Math.max(1, Math.min(POLL_MS, leftMs)));
                if (!canTell) {
                    continue;
                }
                long compileMs = jit.getTotalCompilationTime();
                now = System.nanoTime();
                if (compileMs != lastCompileMs) {
                    lastCompileMs = compileMs;
                    quietSinceNanos = now;
                } else if (now >= earliestNanos && now - quietSinceNanos >= JIT_QUIET_NANOS) {
                    endedBy = JIT_QUIET;
                    return true;
                }
            }
        }

        String endedBy() {
            return endedBy;
        }
    }

    private static <T> T await(Future<T> future, Duration limit) throws InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + limit.toMillis() + " ms", e);
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort: the warm-up's leftovers must not hold up the run
        }
    }

    private static void closeQuietly(RecordWriter writer) {
        try {
            writer.close();
        } catch (RuntimeException ignored) {
            // a scratch file: nothing to keep
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover in the temp directory is harmless
        }
    }
}
