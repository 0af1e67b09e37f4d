package dev.tokenbench.measure;

import java.util.Arrays;

/**
 * The gaps between one request's consecutive content events, in order, in microseconds: kept for a handful of
 * requests per target only (the chart of a typical and a worst request), never for every request.
 */
public record EventGaps(int[] gapsMicros) {
    @Override
    public boolean equals(Object o) {
        return o instanceof EventGaps other && Arrays.equals(gapsMicros, other.gapsMicros);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(gapsMicros);
    }

    @Override
    public String toString() {
        return "EventGaps" + Arrays.toString(gapsMicros);
    }
}
