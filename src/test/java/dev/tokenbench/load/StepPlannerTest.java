package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepPlannerTest {

    private static final LoadSpec BASE = new LoadSpec("closed", 3, 10, 0, Duration.ofSeconds(1),
            Duration.ofSeconds(1));

    /** Runs the planner against a level → pass function; returns the levels it tried. */
    private static List<Double> drive(StepPlanner planner, DoublePredicate passes) {
        List<Double> tried = new ArrayList<>();
        double level = planner.first();
        while (!Double.isNaN(level)) {
            assertTrue(tried.size() < 100, "the planner must stop: " + tried);
            tried.add(level);
            level = planner.next(level, passes.test(level));
        }
        return tried;
    }

    private static StepPlanner search(String dimension, double min, double max, int maxSteps) {
        return StepPlanner.of(BASE.withSteps("search", LoadSpec.Steps.search(dimension, min, max, 0.95, maxSteps,
                0.1)));
    }

    @Test
    void aSingleClosedOrOpenPhaseIsOneStepAtItsLevel() {
        assertEquals(List.of(3.0), drive(StepPlanner.of(BASE), l -> true));
        LoadSpec open = LoadSpec.builder()
                .mode("open")
                .concurrency(50)
                .requests(10)
                .warmup(0)
                .timeout(Duration.ofSeconds(1))
                .stallTimeout(Duration.ofSeconds(1))
                .open(new LoadSpec.OpenLoop(2.5, "fixed", 1))
                .build();
        assertEquals(List.of(2.5), drive(StepPlanner.of(open), l -> false));
    }

    @Test
    void aSweepRunsEveryLevelInOrderWhateverTheyGive() {
        StepPlanner sweep = StepPlanner.of(BASE.withSteps("sweep",
                LoadSpec.Steps.sweep("concurrency", List.of(1.0, 8.0, 2.0))));
        assertEquals(List.of(1.0, 8.0, 2.0), drive(sweep, l -> false));
    }

    @Test
    void aConcurrencySearchDoublesThenBisectsToTheExactKnee() {
        for (int knee = 1; knee <= 64; knee++) {
            int k = knee;
            StepPlanner planner = search("concurrency", 1, 64, 20);
            List<Double> tried = drive(planner, l -> l <= k);
            assertEquals(k, planner.knee(), "knee " + k + ", tried " + tried);
            if (k < 64) {
                assertEquals(k + 1, planner.firstFailing(), "the failing neighbour is tried: " + tried);
            }
            // Doubling to 64 is 7 steps; bisecting a gap of at most 32 to 1 is at most 5 more.
            assertTrue(tried.size() <= 12, "bounded: " + tried);
        }
    }

    @Test
    void aSearchStopsAtItsStepBudgetWithTheBestPassSoFar() {
        StepPlanner planner = search("concurrency", 1, 1000, 4);
        List<Double> tried = drive(planner, l -> l <= 300);
        assertEquals(List.of(1.0, 2.0, 4.0, 8.0), tried);
        assertEquals(8, planner.knee());
    }

    @Test
    void whenEvenTheMinimumFailsThereIsNoKneeAndWhenTheMaximumPassesItIsTheKnee() {
        StepPlanner none = search("concurrency", 2, 16, 12);
        assertEquals(List.of(2.0), drive(none, l -> false));
        assertTrue(Double.isNaN(none.knee()));

        StepPlanner all = search("concurrency", 3, 20, 12);
        assertEquals(List.of(3.0, 6.0, 12.0, 20.0), drive(all, l -> true));
        assertEquals(20, all.knee());
    }

    @Test
    void aRateSearchNarrowsToItsResolution() {
        StepPlanner planner = search("rate", 0.5, 40, 20);
        List<Double> tried = drive(planner, l -> l <= 7.3);
        double knee = planner.knee();
        assertTrue(knee <= 7.3 && planner.firstFailing() > 7.3, tried.toString());
        assertTrue(planner.firstFailing() <= knee * 1.1, "within 10 %: " + tried);
    }
}
