package dev.tokenbench.serve;

import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * tokenbench.serve.schedules.NAME=CRON: benchmark NAME (from the benchmarks directory) runs on that cron. When
 * its previous run is still queued or running, the turn is skipped and counted, never stacked up.
 */
@ApplicationScoped
public class Schedules {
    private static final Logger LOG = Logger.getLogger(Schedules.class);

    /** Per benchmark: runs started and turns skipped. */
    public record Counts(String cron, long started, long skipped) {
    }

    private final ServeConfig config;
    private final Scheduler scheduler;
    private final RunService runs;
    private final Map<String, AtomicLong> started = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();

    public Schedules(ServeConfig config, Scheduler scheduler, RunService runs) {
        this.config = config;
        this.scheduler = scheduler;
        this.runs = runs;
    }

    synchronized void start() {
        for (Map.Entry<String, String> e : config.serve().schedules().entrySet()) {
            String name = e.getKey();
            if (runs.configuredFile(name).isEmpty()) {
                throw new IllegalStateException("tokenbench.serve.schedules." + name + ": no benchmark file " + name
                        + ".yaml (or .yml, .json) in " + config.serve().benchmarksDir().toAbsolutePath());
            }
            started.put(name, new AtomicLong());
            skipped.put(name, new AtomicLong());
            scheduler.newJob("tokenbench-" + name).setCron(e.getValue()).setTask(execution -> turn(name)).schedule();
            LOG.infof("schedule: %s on '%s'", name, e.getValue());
        }
        scheduler.resume();
    }

    /** One turn of a schedule: start the benchmark unless its previous run is still going. */
    void turn(String name) {
        if (runs.busyWith(name)) {
            skipped.get(name).incrementAndGet();
            LOG.warnf("schedule: %s skipped, its previous run is still going", name);
            return;
        }
        try {
            Optional<RunPlan> plan = runs.loadConfigured(name);
            if (plan.isEmpty()) {
                LOG.errorf("schedule: benchmark %s is gone from the benchmarks directory", name);
                return;
            }
            runs.submit(plan.get());
            started.get(name).incrementAndGet();
        } catch (ConfigException e) {
            LOG.errorf("schedule: benchmark %s is invalid (%d problems), first: %s", name, e.errors().size(),
                    e.errors().get(0));
        } catch (RejectedExecutionException e) {
            skipped.get(name).incrementAndGet();
            LOG.warnf("schedule: %s skipped, the run queue is full", name);
        }
    }

    public Map<String, Counts> counts() {
        Map<String, Counts> all = new TreeMap<>();
        started.forEach((name, n) -> all.put(name, new Counts(config.serve().schedules().get(name), n.get(),
                skipped.get(name).get())));
        return all;
    }
}
