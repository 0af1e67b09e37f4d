package dev.tokenbench.measure;

import dev.tokenbench.config.SloSpec;
import dev.tokenbench.report.ReportFixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run stopped by SIGTERM: the requests it cut short say nothing of the endpoint, so goodput leaves them out. */
class CancelledGoodputTest {

    @Test
    void cancelledRequestsAreCountedAsCancelledAndNotAgainstGoodput() {
        TargetAggregate aggregate = new TargetAggregate("t", SloSpec.DEFAULT);
        for (int i = 0; i < 6; i++) {
            aggregate.add(ReportFixtures.ok("t", i, false, 300, 80, 200));
        }
        for (int i = 6; i < 10; i++) {
            aggregate.add(ReportFixtures.failed("t", i, Outcome.CANCELLED, 0, "cancelled: the run was stopped"));
        }
        TargetSummary s = aggregate.summarize();

        assertEquals(10, s.requests());
        assertEquals(4, s.cancelled());
        assertEquals(4, s.outcomes().get("cancelled"));
        assertEquals(6, s.endedOnTheirOwn());
        assertEquals(1.0, s.goodput(), "every request that ended on its own met the SLO");
    }

    @Test
    void aFailureThatEndedOnItsOwnStillCountsAgainstGoodput() {
        TargetAggregate aggregate = new TargetAggregate("t", SloSpec.DEFAULT);
        for (int i = 0; i < 3; i++) {
            aggregate.add(ReportFixtures.ok("t", i, false, 300, 80, 200));
        }
        aggregate.add(ReportFixtures.failed("t", 3, Outcome.HTTP_5XX, 503, "overloaded"));
        aggregate.add(ReportFixtures.failed("t", 4, Outcome.CANCELLED, 0, "cancelled"));
        TargetSummary s = aggregate.summarize();

        assertEquals(0.75, s.goodput(), 1e-12);
    }

    @Test
    void onlyCancelledRequestsGiveNoGoodput() {
        TargetAggregate aggregate = new TargetAggregate("t", SloSpec.DEFAULT);
        aggregate.add(ReportFixtures.failed("t", 0, Outcome.CANCELLED, 0, "cancelled"));
        assertTrue(Double.isNaN(aggregate.summarize().goodput()));
    }
}
