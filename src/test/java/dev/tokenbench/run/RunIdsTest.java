package dev.tokenbench.run;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunIdsTest {
    private static final LocalDateTime SECOND = LocalDateTime.of(2026, 12, 6, 8, 50, 7);

    @Test
    void runsOfOneBenchmarkStartedInTheSameSecondGetDistinctIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(RunIds.mint("azure-vs-openai", SECOND));
        }
        assertEquals(10_000, ids.size(), "no two ids alike");
    }

    @Test
    void idsReadAsStartAndNameSortByStartAndAreFileNameSafe() {
        String id = RunIds.mint("azure-vs-openai", SECOND);
        assertTrue(id.matches("20261206-085007-azure-vs-openai-[0-9a-z]{8}"), id);
        assertEquals("azure-vs-openai".length() + RunIds.CHARACTERS_AROUND_NAME, id.length());

        List<String> inOrder = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            inOrder.add(RunIds.mint("bench", SECOND.plusSeconds(s)));
        }
        List<String> sorted = new ArrayList<>(inOrder);
        sorted.sort(null);
        assertEquals(inOrder, sorted, "later starts sort later");
    }
}
