package dev.tokenbench.report;

import java.util.List;
import java.util.Map;

/**
 * What a report says about where its figures came from, beside the run itself: the tokenbench version that
 * measured them, the probe they were measured from (both as run.json records them), and, for a comparison across
 * runs, one line per source run (label and description).
 */
public record RunOrigin(String tokenbenchVersion, String probe, List<Map.Entry<String, String>> sources) {
    public static final RunOrigin UNKNOWN = new RunOrigin(null, null, List.of());

    public RunOrigin(String tokenbenchVersion, String probe) {
        this(tokenbenchVersion, probe, List.of());
    }
}
