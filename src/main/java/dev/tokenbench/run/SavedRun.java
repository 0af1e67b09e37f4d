package dev.tokenbench.run;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.config.PromptSet;
import dev.tokenbench.config.SloSpec;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.TargetSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished run read back for {@code compare}, from its run directory, the history store or a service's API,
 * always through {@link RunRebuild} (the one reader of run.json): run.json gives the context, the counters and
 * the encoded histograms (so figures merge exactly); the request records, when there are any, give the
 * per-request values and times the significance tests and the timeline need. Without them the values are rebuilt
 * from the histograms, to their three significant digits, and there is no timeline.
 *
 * @param label  what the run is called in a comparison where names collide: its directory's name or its id
 * @param source where it was read from, for the report's context ("runs/x", "history run 2025…")
 * @param probe  which probe measured it (the store's, else run.json's); null when unknown
 * @param region the probe's region; empty when unknown
 */
public record SavedRun(String label, String source, RunResult result, String tokenbenchVersion, String probe,
        String region, boolean fromRequests) {

    private static final ObjectMapper JSON = Json.MAPPER;

    /** A target's spec (api, model, labels as run.json records them; no secrets) and results. */
    public record Target(TargetSpec spec, TargetSummary summary) {
    }

    /** Why a directory or a stored run cannot be read as a run: the message names it and what to do. */
    public static final class NotARunException extends Exception {
        public NotARunException(String message) {
            super(message);
        }
    }

    public static SavedRun load(Path dir) throws NotARunException {
        if (!Files.exists(dir)) {
            throw new NotARunException(dir + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotARunException(dir + ": not a directory (give the run directory that holds run.json)");
        }
        if (!Files.isRegularFile(dir.resolve("run.json"))) {
            throw new NotARunException(dir + " has no run.json: not a tokenbench run directory (a run that "
                    + "stopped before writing it can be rebuilt with `tokenbench report " + dir + "`)");
        }
        RunRebuild.Rebuilt rebuilt;
        try {
            rebuilt = RunRebuild.read(dir, warning -> { });
        } catch (IllegalArgumentException e) {
            throw new NotARunException(e.getMessage());
        } catch (IOException e) {
            throw new NotARunException(dir + ": cannot be read: " + e.getMessage());
        }
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        return SavedRun.builder()
                .label(fileName == null ? rebuilt.result().runId() : fileName.toString())
                .source(dir.toString())
                .result(rebuilt.result())
                .tokenbenchVersion(rebuilt.version())
                .probe(rebuilt.probe())
                .region("")
                .fromRequests(rebuilt.fromRequests())
                .build();
    }

    /**
     * A run as the history store or a service's API keeps it.
     *
     * @param id      its id there (the label)
     * @param source  where it came from, e.g. "history" or the service's URL
     * @param runJson the stored run.json
     * @param records its request records (empty: figures from run.json's histograms)
     * @param probe   the probe the store has it under (null: run.json's)
     */
    public static SavedRun stored(String id, String source, String runJson, List<String> records, String probe,
            String region) throws NotARunException {
        String name = source + " run " + id;
        RunRebuild.Rebuilt rebuilt;
        try {
            JsonNode json = JSON.readTree(runJson);
            rebuilt = RunRebuild.rebuild(null, null, json, records.isEmpty() ? null : records.iterator(),
                    name + "'s records", warning -> { });
        } catch (IOException e) {
            throw new NotARunException(name + ": its run.json is not valid JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new NotARunException(name + ": " + e.getMessage());
        }
        return SavedRun.builder()
                .label(id)
                .source(name)
                .result(rebuilt.result())
                .tokenbenchVersion(rebuilt.version())
                .probe(probe != null && !probe.isBlank() ? probe : rebuilt.probe())
                .region(region == null ? "" : region)
                .fromRequests(rebuilt.fromRequests())
                .build();
    }

    /** Each target's spec and results, in plan order. */
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < result.targets().size(); i++) {
            targets.add(new Target(result.plan().targets().get(i), result.targets().get(i)));
        }
        return targets;
    }

    public Path dir() {
        return result.runDir();
    }

    public String runId() {
        return result.runId();
    }

    public String name() {
        return result.plan().name();
    }

    public String status() {
        return result.status();
    }

    public Instant startedAt() {
        return result.startedAt();
    }

    public Instant endedAt() {
        return result.endedAt();
    }

    public double clientCpuSeconds() {
        return result.clientCpuSeconds();
    }

    public SloSpec slo() {
        return result.plan().slo();
    }

    public String baseline() {
        return result.plan().baseline();
    }

    /** "name (source, N prompts)", or null when the run names no prompt set. */
    public String promptsText() {
        PromptSet p = result.plan().prompts();
        if (p == null || p.name() == null) {
            return null;
        }
        int count = p.prompts().size();
        return p.name() + " (" + p.source() + ", " + count + (count == 1 ? " prompt)" : " prompts)");
    }

    public String loadText() {
        LoadSpec l = result.plan().load();
        if (l == null) {
            return null;
        }
        return (LoadSpec.CLOSED.equals(l.mode()) ? "closed loop" : l.mode()) + ", concurrency " + l.concurrency()
                + ", " + l.requests() + " measured requests per target after " + l.warmup() + " warm-ups";
    }

    /** SavedRun's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SavedRun} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private String label;
        private String source;
        private RunResult result;
        private String tokenbenchVersion;
        private String probe;
        private String region;
        private boolean fromRequests;

        private Builder() {
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder result(RunResult result) {
            this.result = result;
            return this;
        }

        public Builder tokenbenchVersion(String tokenbenchVersion) {
            this.tokenbenchVersion = tokenbenchVersion;
            return this;
        }

        public Builder probe(String probe) {
            this.probe = probe;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder fromRequests(boolean fromRequests) {
            this.fromRequests = fromRequests;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public SavedRun build() {
            return new SavedRun(label, source, result, tokenbenchVersion, probe, region, fromRequests);
        }
    }
}
