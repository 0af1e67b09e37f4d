package dev.tokenbench.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SuggestionsTest {
    private static final List<String> LOAD_KEYS = List.of("mode", "concurrency", "requests", "warmup", "timeout",
            "stall-timeout");

    @Test
    void typosTranspositionsAndSpellingsOfSeparators() {
        assertEquals(Optional.of("concurrency"), Suggestions.closest("concurency", LOAD_KEYS));
        assertEquals(Optional.of("concurrency"), Suggestions.closest("concurrecny", LOAD_KEYS));
        assertEquals(Optional.of("stall-timeout"), Suggestions.closest("stall_timeout", LOAD_KEYS));
        assertEquals(Optional.of("stall-timeout"), Suggestions.closest("stallTimeout", LOAD_KEYS));
    }

    @Test
    void nothingWhenNothingIsClose() {
        assertEquals(Optional.empty(), Suggestions.closest("rate", LOAD_KEYS));
        assertEquals(Optional.empty(), Suggestions.closest("duration", LOAD_KEYS));
    }
}
