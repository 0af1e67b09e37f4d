package dev.tokenbench.load;

import dev.tokenbench.config.LoadSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the level (concurrency or rate) of each measured phase. A plain closed or open run is one step; a sweep
 * walks its list; a search doubles from {@code min} until a level fails the goodput target (or {@code max} passes),
 * then bisects between the last level that passed and the first that failed, until they are neighbours (whole
 * concurrencies) or within {@code resolution} of each other (rates), or the step budget is spent. The knee is the
 * highest level that passed.
 *
 * <p>Not thread-safe: one planner per target, driven by that target's runner between phases.
 */
public final class StepPlanner {
    private final LoadSpec.Steps steps;
    private final double single;
    private final List<Double> tried = new ArrayList<>();
    private final List<Boolean> passed = new ArrayList<>();
    private double highestPass = Double.NaN;
    private double lowestFail = Double.NaN;

    private StepPlanner(LoadSpec.Steps steps, double single) {
        this.steps = steps;
        this.single = single;
    }

    /** The planner for a load block: its steps, or one step at its concurrency (closed) or rate (open). */
    public static StepPlanner of(LoadSpec load) {
        if (load.steps() != null) {
            return new StepPlanner(load.steps(), Double.NaN);
        }
        return new StepPlanner(null, load.open() != null ? load.open().ratePerSecond() : load.concurrency());
    }

    public boolean isSearch() {
        return steps != null && steps.isSearch();
    }

    /** The first level to run. */
    public double first() {
        if (steps == null) {
            return single;
        }
        return steps.isSearch() ? steps.min() : steps.levels().get(0);
    }

    /**
     * Records how the last level did and says what to run next.
     *
     * @param level the level just run
     * @param pass  whether it met the goodput target (only a search looks at it)
     * @return the next level, or NaN when the steps are done
     */
    public double next(double level, boolean pass) {
        tried.add(level);
        passed.add(pass);
        if (steps == null) {
            return Double.NaN;
        }
        if (!steps.isSearch()) {
            return tried.size() < steps.levels().size() ? steps.levels().get(tried.size()) : Double.NaN;
        }
        if (pass) {
            highestPass = Double.isNaN(highestPass) ? level : Math.max(highestPass, level);
        } else {
            lowestFail = Double.isNaN(lowestFail) ? level : Math.min(lowestFail, level);
        }
        if (tried.size() >= steps.maxSteps()) {
            return Double.NaN;
        }
        if (Double.isNaN(highestPass)) {
            return Double.NaN; // even the lowest level fails: nothing below min to try
        }
        if (Double.isNaN(lowestFail)) {
            if (highestPass >= steps.max()) {
                return Double.NaN; // the whole range passes
            }
            return round(Math.min(steps.max(), highestPass * 2));
        }
        if (narrowEnough()) {
            return Double.NaN;
        }
        return round(concurrencyDimension() ? Math.floor((highestPass + lowestFail) / 2)
                : Math.sqrt(highestPass * lowestFail)); // rates: bisect on a log scale
    }

    /** The highest level that passed (a search's knee); NaN when none did or no search ran. */
    public double knee() {
        return highestPass;
    }

    /** The lowest level that failed; NaN when none did. */
    public double firstFailing() {
        return lowestFail;
    }

    private boolean narrowEnough() {
        if (concurrencyDimension()) {
            return lowestFail - highestPass <= 1;
        }
        return lowestFail <= highestPass * (1 + steps.resolution());
    }

    private boolean concurrencyDimension() {
        return LoadSpec.Steps.CONCURRENCY.equals(steps.dimension());
    }

    private double round(double level) {
        if (concurrencyDimension()) {
            return Math.max(1, Math.round(level));
        }
        // Rates keep three significant digits, so the steps read well in reports.
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(level)));
        return Math.round(level * scale) / scale;
    }
}
