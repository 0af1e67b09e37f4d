package dev.tokenbench.config;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardSpecTest {
    private static final Function<String, String> NO_ENV = name -> null;

    @Test
    void sharesDifferByAtMostOneAddUpToTheTotalAndTheFirstShardsGetTheRemainder() {
        for (int count = 1; count <= 7; count++) {
            for (int total = 0; total <= 40; total++) {
                int sum = 0;
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int i = 0; i < count; i++) {
                    int share = new ShardSpec(i, count, null).share(total);
                    sum += share;
                    min = Math.min(min, share);
                    max = Math.max(max, share);
                }
                assertEquals(total, sum, total + " over " + count);
                assertTrue(max - min <= 1, total + " over " + count);
            }
        }
        // The documented examples: 10 over 3 is 4, 3, 3; 2 over 3 is 1, 1, 0.
        assertEquals(4, new ShardSpec(0, 3, null).share(10));
        assertEquals(3, new ShardSpec(1, 3, null).share(10));
        assertEquals(3, new ShardSpec(2, 3, null).share(10));
        assertEquals(0, new ShardSpec(2, 3, null).share(2));
        assertEquals(LoadSpec.UNBOUNDED, new ShardSpec(1, 3, null).share(LoadSpec.UNBOUNDED));
    }

    @Test
    void theShardsGlobalIndicesCoverTheWholeRunOnceEach() {
        int total = 23;
        int count = 4;
        int[] seen = new int[total];
        for (int i = 0; i < count; i++) {
            ShardSpec shard = new ShardSpec(i, count, null);
            for (int k = 0; k < shard.share(total); k++) {
                seen[(int) shard.globalIndex(k)]++;
            }
        }
        for (int j = 0; j < total; j++) {
            assertEquals(1, seen[j], "global index " + j);
        }
        assertEquals(7, ShardSpec.WHOLE.globalIndex(7));
    }

    @Test
    void theOptionIsZeroBasedAndItsRunIdSuffixSaysWhichShard() {
        ShardSpec shard = ShardSpec.parse(" 2/3 ", NO_ENV);
        assertEquals(new ShardSpec(2, 3, null), shard);
        assertEquals("-s2of3", shard.runIdSuffix());
        assertEquals("", ShardSpec.WHOLE.runIdSuffix());
        assertEquals(ShardSpec.WHOLE, ShardSpec.parse(null, NO_ENV));
    }

    @Test
    void badOptionsSayWhatIsWrongAndHowToWriteIt() {
        for (String bad : new String[] {"3/3", "-1/3", "1", "1/", "/3", "a/b", "0/0", "1/3/4", "0/99999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ShardSpec.parse(bad, NO_ENV), bad);
            assertTrue(e.getMessage().startsWith("--shard"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardSpec.parse("3/3", NO_ENV))
                .getMessage().contains("0-based"));
    }

    @Test
    void anIndexedJobsEnvironmentIsTheDefaultAndTheOptionWins() {
        Map<String, String> env = new HashMap<>();
        env.put(ShardSpec.INDEX_ENV, "1");
        env.put(ShardSpec.COUNT_ENV, "4");
        assertEquals(new ShardSpec(1, 4, null), ShardSpec.parse(null, env::get));
        assertEquals(new ShardSpec(0, 2, null), ShardSpec.parse("0/2", env::get));
        env.put(ShardSpec.INDEX_ENV, "4");
        IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
                () -> ShardSpec.parse(null, env::get));
        assertTrue(outOfRange.getMessage().startsWith(ShardSpec.INDEX_ENV + "/" + ShardSpec.COUNT_ENV),
                outOfRange.getMessage());
        env.remove(ShardSpec.COUNT_ENV);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardSpec.parse(null, env::get)).getMessage()
                .contains(ShardSpec.COUNT_ENV + " is not"));
        env.clear();
        env.put(ShardSpec.COUNT_ENV, "3");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardSpec.parse(null, env::get)).getMessage()
                .contains(ShardSpec.INDEX_ENV + " is not"));
    }

    @Test
    void startAtTakesRfc3339OrEpochMillisAndRefusesTyposFarAhead() {
        Instant now = Instant.parse("2026-12-06T18:00:00Z");
        assertEquals(Instant.parse("2026-12-06T18:00:05Z"), StartInstant.parse("2026-12-06T18:00:05Z", now));
        assertEquals(Instant.parse("2026-12-06T18:00:05.250Z"),
                StartInstant.parse("2026-12-06T19:00:05.250+01:00", now));
        assertEquals(Instant.ofEpochMilli(1796580005123L), StartInstant.parse("1796580005123", now));
        // A past instant is allowed: the shard starts late, and says so.
        assertEquals(Instant.parse("2026-12-06T17:00:00Z"), StartInstant.parse("2026-12-06T17:00:00Z", now));
        for (String bad : new String[] {"tomorrow", "2026-12-06 18:00", "", "12:00:00Z", "2027-12-06T18:00:00Z",
                "17965800051230000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StartInstant.parse(bad, now), bad);
            assertTrue(e.getMessage().startsWith("--start-at must be") && e.getMessage().contains("'" + bad + "'"),
                    e.getMessage());
        }
    }
}
