package dev.tokenbench.provider.anthropic;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TokenCounter;
import dev.tokenbench.measure.TokenSources;
import dev.tokenbench.provider.StreamReplay;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Anthropic with thinking reports output_tokens (thinking included) and no reasoning count. The reasoning count
 * estimated from the thinking text with the tokenizer must not be taken off the provider's output count: visible TPS
 * comes from the tokenizer's count of the visible text, and every count says where it came from.
 */
class AnthropicThinkingCountTest {
    private static final String VISIBLE = "The GCD of 1071 and 462 is **21**.";
    private static final String THINKING =
            "I need the GCD of 1071 and 462.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21, 147 = 7 × 21.";

    private static RequestRecord recordOfGoldenStream(boolean estimateAlongsideUsage) {
        byte[] stream = StreamReplay.resource("streams/anthropic/thinking.sse");
        // Byte by byte: each event arrives at its own time, so the visible window is not empty.
        int[] cuts = IntStream.rangeClosed(1, stream.length).toArray();
        RequestMeasurement m = StreamReplay.replay(stream, cuts, new AnthropicApi()::newDecoder);
        m.finish(null, null, m.endNanos);
        return RequestRecord.of(m, "claude", TokenCounter.DEFAULT_ENCODING, 5, null, estimateAlongsideUsage);
    }

    @Test
    void theEstimatedReasoningCountNeverChangesTheProvidersOutputCount() {
        for (boolean alongside : new boolean[] {true, false}) {
            RequestRecord r = recordOfGoldenStream(alongside);
            String where = "estimate alongside usage: " + alongside;
            assertEquals(87, r.outputTokens(), where + ": the provider's output_tokens, thinking included");
            assertFalse(r.tokensEstimated(), where);
            assertEquals(TokenCounter.count(TokenCounter.DEFAULT_ENCODING, THINKING), r.reasoningTokens(), where);
            assertEquals(41, r.inputTokens(), where);

            long visible = TokenCounter.count(TokenCounter.DEFAULT_ENCODING, VISIBLE);
            double window = (r.endNanos() - r.firstTokenNanos()) / 1e9;
            assertEquals(RequestRecord.thousandths(visible / window), r.visibleTokensPerSecond(), 1e-9,
                    where + ": visible TPS from the visible text's own count, not 87 minus the estimate");
            assertEquals(new TokenSources(TokenSources.PROVIDER, TokenSources.PROVIDER, TokenSources.ESTIMATED,
                    TokenSources.ESTIMATED), r.tokenSources(), where);
        }
    }
}
