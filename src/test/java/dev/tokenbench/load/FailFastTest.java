package dev.tokenbench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailFastTest {
    @Test
    void tripsOnceTheFirstNRequestsAllGot401() {
        FailFast failFast = new FailFast(3);
        failFast.record(401);
        failFast.record(401);
        assertFalse(failFast.tripped(), "two of three");
        failFast.record(401);
        assertTrue(failFast.tripped());
        assertEquals("its first 3 requests all failed with HTTP 401: check its api-key or auth (and that the key "
                + "may use this model)", failFast.reason());
    }

    @Test
    void oneRequestThatEndsAnotherWaySettlesItForTheRun() {
        for (int other : new int[] {200, 429, 500, 400, 0}) {
            FailFast failFast = new FailFast(3);
            failFast.record(401);
            failFast.record(other);
            for (int i = 0; i < 10; i++) {
                failFast.record(401);
            }
            assertFalse(failFast.tripped(), "after a " + other);
            assertNull(failFast.reason());
        }
    }

    @Test
    void mixedStatusesAreCountedAndEachGetsItsHint() {
        FailFast failFast = new FailFast(4);
        failFast.record(403);
        failFast.record(404);
        failFast.record(404);
        failFast.record(401);
        assertEquals("its first 4 requests all failed with HTTP 401 (1), 403 (1), 404 (2): check its api-key or auth "
                + "(and that the key may use this model); and its base-url and model or deployment", failFast.reason());
        FailFast notFound = new FailFast(1);
        notFound.record(404);
        assertEquals("its first 1 request failed with HTTP 404: check its base-url and model or deployment",
                notFound.reason());
    }

    @Test
    void zeroNeverTrips() {
        FailFast off = new FailFast(0);
        for (int i = 0; i < 100; i++) {
            off.record(401);
        }
        assertFalse(off.tripped());
        assertThrows(IllegalArgumentException.class, () -> new FailFast(-1));
    }
}
