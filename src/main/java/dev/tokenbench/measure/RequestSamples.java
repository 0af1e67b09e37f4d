package dev.tokenbench.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A target's per-request values, kept beside its histograms for what a histogram cannot answer: the bootstrap
 * and the U test of {@link Significance} need the values themselves, and the report's timeline needs when each
 * request was sent, first answered and ended. Compact columns (a few doubles and longs per request), not records:
 * a long run keeps only what the reports use. Immutable.
 */
public final class RequestSamples {
    public static final RequestSamples NONE = new RequestSamples(new EnumMap<>(Metric.class), 0, null);

    private final Map<Metric, double[]> values;
    private final int requests;
    private final Timeline timeline;

    /**
     * When each measured request happened, on the run's own {@code System.nanoTime()} clock (only comparable
     * within one run); 0 where a request never got that far.
     */
    public record Timeline(long[] sentNanos, long[] firstOutputNanos, long[] firstTokenNanos, long[] endNanos,
            Outcome[] outcomes) {
        public int size() {
            return outcomes.length;
        }
    }

    private RequestSamples(Map<Metric, double[]> values, int requests, Timeline timeline) {
        this.values = values;
        this.requests = requests;
        this.timeline = timeline;
    }

    /**
     * @param columns per metric, one value per measured request (NaN where it has none), at least {@code requests}
     *                long; copied
     */
    public static RequestSamples of(Map<Metric, double[]> columns, int requests, Timeline timeline) {
        Map<Metric, double[]> copy = new EnumMap<>(Metric.class);
        columns.forEach((m, column) -> copy.put(m, Arrays.copyOf(column, requests)));
        return new RequestSamples(copy, requests, timeline);
    }

    /**
     * Values rebuilt from histograms alone (a run.json without its requests.jsonl): every recorded value as many
     * times as it was recorded, to the histogram's precision (three significant digits). No timeline.
     */
    public static RequestSamples ofHistograms(Map<Metric, Histogram> histograms) {
        Map<Metric, double[]> columns = new EnumMap<>(Metric.class);
        int most = 0;
        for (Map.Entry<Metric, Histogram> e : histograms.entrySet()) {
            if (e.getKey() == Metric.ITL_MS || e.getValue() == null) {
                continue;
            }
            Histogram h = e.getValue();
            double[] column = new double[(int) h.getTotalCount()];
            int i = 0;
            for (HistogramIterationValue v : h.recordedValues()) {
                double value = h.medianEquivalentValue(v.getValueIteratedTo()) / e.getKey().histogramScale();
                for (long k = 0; k < v.getCountAtValueIteratedTo(); k++) {
                    column[i++] = value;
                }
            }
            columns.put(e.getKey(), column);
            most = Math.max(most, column.length);
        }
        return new RequestSamples(columns, most, null);
    }

    /** Several targets' samples as one (merged runs): the values concatenated; no timeline (clocks differ). */
    public static RequestSamples concat(List<RequestSamples> parts) {
        Map<Metric, double[]> columns = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            int length = 0;
            for (RequestSamples p : parts) {
                length += p.values(m).length;
            }
            double[] column = new double[length];
            int at = 0;
            for (RequestSamples p : parts) {
                double[] v = p.values(m);
                System.arraycopy(v, 0, column, at, v.length);
                at += v.length;
            }
            columns.put(m, column);
        }
        int requests = 0;
        for (RequestSamples p : parts) {
            requests += p.requests;
        }
        return new RequestSamples(columns, requests, null);
    }

    /** This metric's value of every request that has one (NaN filtered out); a fresh array. */
    public double[] values(Metric metric) {
        double[] column = values.get(metric);
        return column == null ? new double[0] : MannWhitney.finite(column.clone());
    }

    /** Null when the per-request times are not known (samples rebuilt from histograms, merged runs). */
    public Timeline timeline() {
        return timeline;
    }

    public int requests() {
        return requests;
    }
}
