package dev.tokenbench.provider.openai;

import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.StreamDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder resumes a chunk's scan where the last one's delta opened when both start with the same bytes. Its
 * oracle: the same chunks, each read by a fresh decoder (which has nothing to resume from and scans every chunk
 * whole) into an equal measurement. Chunks are drawn to hit every way a prefix can match or not: ids that change,
 * usage or an error before the choices, a null or missing delta, several choices, members after the delta,
 * reasoning, empty content, broken JSON after the shared prefix.
 */
class OpenAiChatResumeTest {
    private static final List<String> PREFIXES = List.of(
            "{\"id\":\"chatcmpl-A\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[",
            "{\"id\":\"chatcmpl-B\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[",
            "{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4},\"choices\":[",
            "{\"error\":{\"message\":\"boom\"},\"choices\":[",
            "{ \"id\" : \"chatcmpl-A\" , \"choices\" : [ ");
    private static final List<String> CHOICE_HEADS = List.of("{\"index\":0,\"delta\":", "{\"delta\":",
            "{\"index\":0,\"logprobs\":null,\"delta\":");
    private static final List<String> DELTAS = List.of("{\"content\":\"tok\"}", "{\"content\":\"\"}",
            "{\"role\":\"assistant\",\"content\":\"\"}", "{\"reasoning_content\":\"hm\"}", "{\"content\":\"a\\\"b\"}",
            "{\"reasoning\":\"r\",\"content\":\"v\"}", "null", "{}", "{\"content\":\"x\"", "{\"content\":7}");
    private static final List<String> CHOICE_TAILS = List.of("}", ",\"finish_reason\":null}",
            ",\"finish_reason\":\"stop\"}");
    private static final List<String> CHUNK_TAILS = List.of("]}", "],\"usage\":null}",
            "],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6}}", "]}trailing", "],\"obfuscation\":\"zz\"}");

    @Test
    void resumedChunksReadAsFreshDecodersReadThem() {
        SplittableRandom random = new SplittableRandom(42);
        OpenAiChatApi api = new OpenAiChatApi();
        int resumable = 0;
        for (int stream = 0; stream < 400; stream++) {
            RequestMeasurement resumed = measurement();
            RequestMeasurement fresh = measurement();
            StreamDecoder decoder = api.newDecoder(resumed);
            String previous = null;
            int chunks = 2 + random.nextInt(30);
            for (int c = 0; c < chunks; c++) {
                // Most chunks repeat the previous one's head, as a real stream's do.
                String chunk = previous != null && random.nextInt(3) > 0
                        ? previous.substring(0, previous.indexOf("\"delta\":") + 8) + tail(random)
                        : chunk(random);
                if (previous != null && chunk.startsWith(previous.substring(0, previous.indexOf("\"delta\":") + 8))) {
                    resumable++;
                }
                previous = chunk;
                byte[] event = ("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8);
                long at = 1_000L * (c + 1);
                decoder.onBytes(event, 0, event.length, at);
                api.newDecoder(fresh).onBytes(event, 0, event.length, at);
            }
            byte[] done = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
            decoder.onBytes(done, 0, done.length, 1_000_000);
            api.newDecoder(fresh).onBytes(done, 0, done.length, 1_000_000);
            assertSame(fresh, resumed, "stream " + stream);
        }
        assertTrue(resumable > 2_000, "chunks that could resume: " + resumable);
    }

    private static String chunk(SplittableRandom random) {
        StringBuilder b = new StringBuilder(pick(random, PREFIXES));
        int choices = random.nextInt(4) == 0 ? 2 : 1;
        for (int i = 0; i < choices; i++) {
            b.append(i > 0 ? "," : "").append(pick(random, CHOICE_HEADS)).append(pick(random, DELTAS))
                    .append(pick(random, CHOICE_TAILS));
        }
        return b.append(pick(random, CHUNK_TAILS)).toString();
    }

    /** What follows {@code "delta":} in a chunk: the delta, the rest of the choice, maybe more, the chunk's end. */
    private static String tail(SplittableRandom random) {
        StringBuilder b = new StringBuilder(pick(random, DELTAS)).append(pick(random, CHOICE_TAILS));
        if (random.nextInt(5) == 0) {
            b.append(',').append(pick(random, CHOICE_HEADS)).append(pick(random, DELTAS))
                    .append(pick(random, CHOICE_TAILS));
        }
        return b.append(pick(random, CHUNK_TAILS)).toString();
    }

    private static String pick(SplittableRandom random, List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static RequestMeasurement measurement() {
        return new RequestMeasurement("r", 0, 0, false, "p", null);
    }

    private static void assertSame(RequestMeasurement expected, RequestMeasurement actual, String where) {
        assertEquals(expected.visibleText.toUtf8String(), actual.visibleText.toUtf8String(), where);
        assertEquals(expected.reasoningTextOrNull() == null ? null : expected.reasoningTextOrNull().toUtf8String(),
                actual.reasoningTextOrNull() == null ? null : actual.reasoningTextOrNull().toUtf8String(), where);
        assertEquals(expected.contentEvents, actual.contentEvents, where);
        assertEquals(expected.firstOutputNanos, actual.firstOutputNanos, where);
        assertEquals(expected.firstTokenNanos, actual.firstTokenNanos, where);
        assertEquals(expected.lastContentNanos, actual.lastContentNanos, where);
        assertEquals(expected.usageInputTokens, actual.usageInputTokens, where);
        assertEquals(expected.usageOutputTokens, actual.usageOutputTokens, where);
        assertEquals(expected.streamEndSeen, actual.streamEndSeen, where);
        assertEquals(expected.error, actual.error, where);
    }
}
