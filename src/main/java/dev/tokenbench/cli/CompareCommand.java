package dev.tokenbench.cli;

import dev.tokenbench.publish.RemoteRuns;
import dev.tokenbench.report.CrossRunComparison;
import dev.tokenbench.report.HtmlReport;
import dev.tokenbench.report.MarkdownReport;
import dev.tokenbench.report.TerminalReport;
import dev.tokenbench.run.SavedRun;
import dev.tokenbench.serve.ServeConfig;
import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.RunFilter;
import dev.tokenbench.store.RunInfo;
import dev.tokenbench.store.SqliteHistoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Compares finished runs in one report, e.g. the same benchmark from two "
        + "regions or two days: run directories, runs from the history store (--history: the embedded store, or "
        + "PostgreSQL as configured for serve) or from a running service (--server URL).",
        "Targets keep their names, prefixed with the run's name where two runs have a target of the same name; "
                + "--merge adds those together instead, --by probe (or region) adds them together per probe "
                + "(target@probe). Histograms merge exactly.",
        "--by target compares each target with itself across the runs (target@run, against the oldest run or "
                + "--baseline RUN): azure on Tuesday vs azure on Monday, with significance; one report per target "
                + "under --out/TARGET/.",
        "Writes report.html and report.md to --out (default: runs/compare-<timestamp>) and prints the table."})
public class CompareCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "RUN_DIR", description = "Run directories (each holds run.json).")
    List<Path> runDirs = new ArrayList<>();

    @Option(names = "--history", description = "Also compare runs from the history store: the embedded one under "
            + "tokenbench.store.data-dir (./data) or --data-dir, or PostgreSQL when tokenbench.store.kind says so. "
            + "Implied by any filter without --server.")
    boolean history;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The embedded history store's directory (holds "
            + "history.db; default: tokenbench.store.data-dir).")
    Path dataDir;

    @Option(names = "--server", paramLabel = "URL", description = "Compare runs stored by a running tokenbench "
            + "service, e.g. http://central.example:8080 (or its API URL …/api). Token for its reads: --token-file "
            + "or TOKENBENCH_API_TOKEN.")
    URI server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file whose first line is the service's "
            + "bearer token, for --server (default: TOKENBENCH_API_TOKEN).")
    Path tokenFile;

    @Option(names = "--benchmark", paramLabel = "NAME", description = "Only runs of this benchmark.")
    String benchmark;

    @Option(names = "--target", paramLabel = "NAME", description = "Only runs that have a target of this name.")
    String target;

    @Option(names = "--probe", paramLabel = "NAME", description = "Only runs measured by this probe.")
    String probe;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only runs started since: a range back from now "
            + "(30m, 4h, 1d, 7d) or an ISO-8601 instant (2025-05-01T10:00:00Z).")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "At most the newest N runs (default: "
            + RunFilter.DEFAULT_LIMIT + ", at most " + RunFilter.MAX_LIMIT + ").")
    Integer limit;

    @Option(names = "--baseline", paramLabel = "TARGET",
            description = "The target the others are compared with, by its name in this report (e.g. run/target, "
                    + "target@probe; default: the first run's baseline). With --by target: the run (its label as "
                    + "the reports name it) the others are compared with (default: the oldest).")
    String baseline;

    @Option(names = "--merge", description = "Add same-named targets of all runs together instead of listing each.")
    boolean merge;

    @Option(names = "--by", paramLabel = "GROUP", description = "How runs are put together: run (each on its own, "
            + "the default), probe or region (same-named targets added together per probe or region, named "
            + "target@probe), target (each target against itself across the runs, named target@run) or all (as "
            + "--merge).")
    String by;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports.")
    Path out;

    private final ServeConfig config;
    private final HistoryStores stores;

    public CompareCommand(ServeConfig config, HistoryStores stores) {
        this.config = config;
        this.stores = stores;
    }

    /** Bad input: the message says what to change. */
    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CrossRunComparison.Grouping grouping;
        RunFilter filter;
        List<String> sources = new ArrayList<>();
        List<SavedRun> runs = new ArrayList<>();
        try {
            grouping = grouping();
            filter = filter();
            boolean filtered = benchmark != null || target != null || probe != null || since != null || limit != null;
            if (server != null && (history || dataDir != null)) {
                throw new BadInput("--server and --history (or --data-dir) are two sources: give one of them");
            }
            if (tokenFile != null && server == null) {
                throw new BadInput("--token-file is the token for --server URL: give --server too, or drop it");
            }
            boolean fromHistory = server == null && (history || dataDir != null || filtered);
            if (runDirs.isEmpty() && server == null && !fromHistory) {
                throw new BadInput("what to compare? give RUN_DIR… (run directories), --history (the history "
                        + "store, with filters like --benchmark NAME --since 24h) or --server URL");
            }
            runs.addAll(fromDirectories(runDirs));
            if (!runDirs.isEmpty()) {
                sources.add(runDirs.size() + (runDirs.size() == 1 ? " run directory" : " run directories"));
            }
            if (fromHistory) {
                List<SavedRun> stored = fromHistory(filter);
                runs.addAll(stored);
                sources.add(stored.size() + (stored.size() == 1 ? " run" : " runs") + " from history ("
                        + describeStore() + ")" + describe(filter));
            }
            if (server != null) {
                RemoteRuns remote = new RemoteRuns(server, token());
                List<SavedRun> fetched = chronological(remote.runs(filter, since));
                if (fetched.isEmpty()) {
                    throw new BadInput("no run stored by the service at " + remote.url() + " matches" + describe(filter)
                            + orAll(filter));
                }
                runs.addAll(fetched);
                sources.add(fetched.size() + (fetched.size() == 1 ? " run" : " runs") + " from " + remote.url()
                        + describe(filter));
            }
        } catch (BadInput | SavedRun.NotARunException | RemoteRuns.RemoteException e) {
            err.println("tokenbench: cannot compare: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        String runId = "compare-" + LocalDateTime.now().format(STAMP);
        Path outDir = out != null ? out : Path.of("runs", runId);
        if (grouping == CrossRunComparison.Grouping.TARGET) {
            return byTarget(runs, sources, outDir, runId, stdout, err);
        }
        CrossRunComparison.Result result;
        try {
            result = CrossRunComparison.of(runs, baseline, grouping, outDir, runId);
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("report.md"), MarkdownReport.render(result.run(), result.origin()),
                StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("report.html"),
                HtmlReport.renderComparison(result.run(), result.origin()), StandardCharsets.UTF_8);
        stdout.printf("comparing %s%s%n%n", String.join(" and ", sources),
                switch (grouping) {
                    case RUN, TARGET -> "";
                    case ALL -> ", same-named targets merged";
                    case PROBE -> ", same-named targets merged per probe";
                    case REGION -> ", same-named targets merged per region";
                });
        stdout.print(TerminalReport.table(result.run()));
        stdout.printf("%ncomparison of %d %s: %s%n  report.md  report.html%n", runs.size(),
                runs.size() == 1 ? "run" : "runs", outDir);
        stdout.flush();
        return ExitCodes.OK;
    }

    /** --by target: one comparison per target name, each in its own directory, their tables in turn. */
    private int byTarget(List<SavedRun> runs, List<String> sources, Path outDir, String runId, PrintWriter stdout,
            PrintWriter err) throws IOException {
        List<CrossRunComparison.TargetAcrossRuns> comparisons;
        try {
            comparisons = CrossRunComparison.byTarget(runs, baseline, outDir, runId);
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        stdout.printf("comparing %s, each target against itself across the runs%n", String.join(" and ", sources));
        StringBuilder markdown = new StringBuilder();
        for (CrossRunComparison.TargetAcrossRuns c : comparisons) {
            CrossRunComparison.Result result = c.result();
            Path dir = result.run().runDir();
            Files.createDirectories(dir);
            String md = MarkdownReport.render(result.run(), result.origin());
            Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"), HtmlReport.renderComparison(result.run(),
                    result.origin()), StandardCharsets.UTF_8);
            markdown.append(markdown.length() == 0 ? "" : "\n---\n\n").append(md);
            stdout.printf("%n%s across %d %s (baseline %s)%n%n", c.target(), result.run().targets().size(),
                    result.run().targets().size() == 1 ? "run" : "runs", result.run().plan().baseline());
            stdout.print(TerminalReport.table(result.run()));
        }
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("report.md"), markdown.toString(), StandardCharsets.UTF_8);
        stdout.printf("%ncomparison of %d %s, %d %s: %s%n  report.md (all)  TARGET/report.md  TARGET/report.html%n",
                runs.size(), runs.size() == 1 ? "run" : "runs", comparisons.size(),
                comparisons.size() == 1 ? "target" : "targets", outDir);
        stdout.flush();
        return ExitCodes.OK;
    }

    private CrossRunComparison.Grouping grouping() throws BadInput {
        if (by == null) {
            return merge ? CrossRunComparison.Grouping.ALL : CrossRunComparison.Grouping.RUN;
        }
        CrossRunComparison.Grouping g;
        try {
            g = CrossRunComparison.Grouping.valueOf(by.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInput("--by must be run, probe, region, target or all, found '" + by + "'");
        }
        if (merge && g == CrossRunComparison.Grouping.RUN) {
            throw new BadInput("--merge and --by run contradict each other: --by run keeps each run on its own");
        }
        return g;
    }

    private RunFilter filter() throws BadInput {
        Instant from = null;
        if (since != null) {
            try {
                from = RunFilter.parseSince(since, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new BadInput("--since: " + e.getMessage());
            }
        }
        if (limit != null && (limit < 1 || limit > RunFilter.MAX_LIMIT)) {
            throw new BadInput("--limit must be between 1 and " + RunFilter.MAX_LIMIT + ", found " + limit);
        }
        return new RunFilter(blankToNull(benchmark), blankToNull(target), blankToNull(probe), from,
                limit == null ? 0 : limit);
    }

    private static List<SavedRun> fromDirectories(List<Path> dirs) throws SavedRun.NotARunException {
        List<SavedRun> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                runs.add(SavedRun.load(dir));
            } catch (SavedRun.NotARunException e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.size() == 1) {
            throw new SavedRun.NotARunException(problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new SavedRun.NotARunException(problems.size() + " problems:\n  " + String.join("\n  ", problems));
        }
        return runs;
    }

    /** The matching stored runs, oldest first, each read back through the same reader as a run directory. */
    private List<SavedRun> fromHistory(RunFilter filter) throws BadInput, SavedRun.NotARunException {
        HistoryStore store = openStore();
        List<RunInfo> infos;
        try {
            infos = store.list(filter);
        } catch (RuntimeException e) {
            throw new BadInput("the history store (" + store.describe() + ") cannot be read: " + e.getMessage());
        }
        if (infos.isEmpty()) {
            throw new BadInput("no run in the history store (" + store.describe() + ") matches" + describe(filter)
                    + orAll(filter));
        }
        List<SavedRun> runs = new ArrayList<>();
        for (RunInfo info : infos) {
            String runJson = store.runJson(info.id()).orElse(null);
            if (runJson == null) {
                continue;
            }
            List<String> records = new ArrayList<>();
            store.records(info.id(), records::add);
            runs.add(SavedRun.stored(info.id(), "history", runJson, records, info.probe(), info.region()));
        }
        return chronological(runs);
    }

    private HistoryStore openStore() throws BadInput {
        Path embedded = dataDir;
        if (embedded == null && "embedded".equals(config.store().kind())) {
            embedded = config.store().dataDir();
        }
        if (embedded != null) {
            // Reading must not create an empty store where the user expected one.
            Path file = embedded.resolve(SqliteHistoryStore.FILE_NAME);
            if (!Files.isRegularFile(file)) {
                throw new BadInput("no history store at " + file + ": `run` and `serve` store every run there; "
                        + "give --data-dir DIR for another one, or RUN_DIR… / --server URL");
            }
            if (dataDir != null) {
                return SqliteHistoryStore.open(dataDir);
            }
        }
        try {
            return stores.store();
        } catch (RuntimeException e) {
            throw new BadInput("the history store cannot be opened: " + e.getMessage());
        }
    }

    private String describeStore() {
        if (dataDir != null) {
            return dataDir.resolve(SqliteHistoryStore.FILE_NAME).toString();
        }
        return "embedded".equals(config.store().kind())
                ? config.store().dataDir().resolve(SqliteHistoryStore.FILE_NAME).toString() : config.store().kind();
    }

    /** The token for --server: --token-file's first non-blank line, else TOKENBENCH_API_TOKEN; null for none. */
    private String token() throws BadInput {
        if (tokenFile != null) {
            try {
                for (String line : Files.readAllLines(tokenFile, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        return line.strip();
                    }
                }
            } catch (IOException e) {
                throw new BadInput("--token-file " + tokenFile + " cannot be read: " + e.getClass().getSimpleName());
            }
            throw new BadInput("--token-file " + tokenFile + " is empty: it should hold the service's bearer token");
        }
        return config.apiToken().filter(t -> !t.isBlank()).map(String::strip).orElse(null);
    }

    private List<SavedRun> chronological(List<SavedRun> newestFirst) {
        List<SavedRun> list = new ArrayList<>(newestFirst);
        Collections.reverse(list);
        return list;
    }

    private String describe(RunFilter filter) {
        StringJoiner j = new StringJoiner(", ", ": ", "");
        j.setEmptyValue("");
        if (filter.benchmark() != null) {
            j.add("benchmark " + filter.benchmark());
        }
        if (filter.target() != null) {
            j.add("target " + filter.target());
        }
        if (filter.probe() != null) {
            j.add("probe " + filter.probe());
        }
        if (since != null) {
            j.add("since " + since + " (" + filter.since() + ")");
        }
        if (limit != null) {
            j.add("newest " + filter.limit());
        }
        return j.toString();
    }

    private static String orAll(RunFilter filter) {
        return filter.benchmark() == null && filter.target() == null && filter.probe() == null
                && filter.since() == null ? " (it holds no finished run yet)" : " (widen or drop the filters)";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
