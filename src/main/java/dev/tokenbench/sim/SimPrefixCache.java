package dev.tokenbench.sim;

import com.knuddels.jtokkit.api.Encoding;
import dev.tokenbench.measure.TokenCounter;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prompt prefixes a scenario has seen, by message: a request's prompt texts (system, then each message in
 * order) hashed cumulatively, so that the longest run of leading messages an earlier request also began with is its
 * cached part. Message-granular, where real providers cache in blocks of tokens: exact and predictable, which is
 * what a test of prefix caching needs. Bounded: past {@link #MAX_PREFIXES} it forgets everything, as an evicting
 * cache would.
 */
final class SimPrefixCache {
    static final int MAX_PREFIXES = 1 << 20;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final Set<Long> seen = ConcurrentHashMap.newKeySet();

    /** A prompt's size and the part of it served from the cache. */
    record Prefill(int promptTokens, int cachedTokens) {
    }

    /**
     * Counts the prompt (o200k_base, as the usage counts it) and its cached part, and remembers its prefixes.
     * Blocking (BPE): call it on a worker thread.
     *
     * @param useCache false: nothing is cached (only the count is wanted)
     */
    Prefill analyse(List<String> promptTexts, boolean useCache) {
        Encoding encoding = Holder.O200K_BASE;
        int tokens = 0;
        int cached = 0;
        long hash = FNV_OFFSET;
        boolean stillCached = true;
        for (String text : promptTexts) {
            tokens += encoding.countTokensOrdinary(text);
            for (int i = 0; i < text.length(); i++) {
                hash = (hash ^ text.charAt(i)) * FNV_PRIME;
            }
            // A separator, so that ["ab", "c"] and ["a", "bc"] differ.
            hash = (hash ^ 0x1F) * FNV_PRIME;
            if (!useCache) {
                continue;
            }
            if (stillCached && seen.contains(hash)) {
                cached = tokens;
            } else {
                stillCached = false;
            }
            if (seen.size() >= MAX_PREFIXES) {
                seen.clear();
            }
            seen.add(hash);
        }
        return new Prefill(tokens, cached);
    }

    private static final class Holder {
        static final Encoding O200K_BASE = TokenCounter.encoding(TokenCounter.DEFAULT_ENCODING).orElseThrow();
    }
}
