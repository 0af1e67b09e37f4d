package dev.tokenbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.output.RunFiles;
import dev.tokenbench.report.TerminalReport;
import dev.tokenbench.run.DurableFiles;
import dev.tokenbench.run.RunJson;
import dev.tokenbench.run.RunJsonReader;
import dev.tokenbench.run.RunManifest;
import dev.tokenbench.run.RunRebuild;
import dev.tokenbench.run.Sharding;
import dev.tokenbench.run.ShardMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Merges the run directories of the shards of one run (`run --shard I/N`) into one run directory: requests.jsonl with each record's shard, run.json whose counts are the sums and "
        + "whose percentiles are those of the pooled requests (the shards' HdrHistograms merged exactly), report.md "
        + "and report.html, as for one run.", "Refuses (exit 2) directories of different plans, of different shard "
        + "groups or counts, or one shard twice; says how far apart the shards started."})
public class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "DIR", description = "The shards' run directories.")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The merged run directory (new or "
            + "empty).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ShardMerge.Merged merged;
        try {
            List<ShardMerge.Part> parts = new ArrayList<>();
            for (Path dir : dirs) {
                if (!Files.isRegularFile(dir.resolve("run.json")) && Files.isRegularFile(dir.resolve("requests.jsonl"))) {
                    err.println("tokenbench: " + dir + " has no run.json (the shard did not finish): run `tokenbench "
                            + "report " + dir + "` first, or leave it out");
                    return ExitCodes.BAD_INPUT;
                }
                parts.add(new ShardMerge.Part(dir.toString(), RunJsonReader.readFile(dir.resolve(RunManifest.FILE)),
                        RunJsonReader.readFile(dir.resolve("run.json"))));
            }
            merged = ShardMerge.merge(parts, warning -> err.println("tokenbench: " + warning));
            if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out))) {
                err.println("tokenbench: --out " + out + " exists and is not an empty directory: give a new one");
                return ExitCodes.BAD_INPUT;
            }
        } catch (IllegalArgumentException e) {
            err.println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        RunManifest.write(out, merged.plan());
        int records = writeRecords(merged, out.resolve("requests.jsonl"));
        RunJson.write(out.resolve("run.json"), merged.run());
        RunRebuild.Rebuilt rebuilt = RunRebuild.rebuild(out, warning -> err.println("tokenbench: " + warning));
        RunFiles.write(rebuilt.result(), rebuilt.version());
        stdout.print(TerminalReport.table(rebuilt.result()));
        Sharding sharding = rebuilt.result().sharding();
        stdout.printf(Locale.ROOT, "%nmerged %d shards of %d (%d records) into %s: run.json, report.md, report.html; "
                        + "shards started %s%n", merged.parts().size(), sharding.count(), records, out,
                Double.isNaN(sharding.startSpreadMs()) ? "at times it cannot compare (fewer than two sent a request)"
                        : String.format(Locale.ROOT, "%.3f ms apart (each by its own clock)",
                        sharding.startSpreadMs()));
        stdout.flush();
        return ExitCodes.OK;
    }

    /** Every shard's records in shard order, each tagged with its shard; whole or not at all. */
    private static int writeRecords(ShardMerge.Merged merged, Path file) {
        int[] count = new int[1];
        DurableFiles.replace(file, stream -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            for (int i = 0; i < merged.parts().size(); i++) {
                Path records = Path.of(merged.parts().get(i).name()).resolve("requests.jsonl");
                if (!Files.isRegularFile(records)) {
                    continue;
                }
                try (BufferedReader in = Files.newBufferedReader(records, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        String record = line.isBlank() ? null : merged.record(i, line);
                        if (record != null) {
                            writer.write(record);
                            writer.write('\n');
                            count[0]++;
                        }
                    }
                }
            }
            writer.flush();
        });
        return count[0];
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
