package dev.tokenbench.provider;

import dev.tokenbench.measure.RequestMeasurement;

import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link StreamReplay#replayEverywhere} for streams with tool calls: at every cut (every two-read split and byte by
 * byte) each stamp, the first tool call's included, is the stamp of the read that completed its event; the rest
 * must be the same every time. Event indexes count events (SSE events or event-stream frames) from 0.
 */
public final class ToolCallReplay {
    /** The event each stamp must come from; -1 leaves a stamp unchecked, except the first tool call (-1: none). */
    public record Stamps(int firstOutput, int firstToken, int firstToolCall, int lastContent, int end) {
    }

    private ToolCallReplay() {
    }

    public static void sse(String resource, Function<RequestMeasurement, StreamDecoder> decoders, Stamps stamps,
            Consumer<RequestMeasurement> sameEveryTime) {
        byte[] stream = StreamReplay.resource(resource);
        everywhere(stream, resource, StreamReplay.sseEventEnds(stream), decoders, stamps, sameEveryTime);
    }

    public static void everywhere(byte[] stream, String name, int[] eventEnds,
            Function<RequestMeasurement, StreamDecoder> decoders, Stamps stamps,
            Consumer<RequestMeasurement> sameEveryTime) {
        StreamReplay.replayEverywhere(stream, name, eventEnds, decoders, stamps.firstOutput(), stamps.firstToken(),
                stamps.lastContent(), stamps.end(), sameEveryTime);
        for (int[] cuts : StreamReplay.cutPlans(stream.length)) {
            RequestMeasurement m = StreamReplay.replay(stream, cuts, decoders);
            long expected = stamps.firstToolCall() < 0 ? 0
                    : StreamReplay.expectedArrival(eventEnds[stamps.firstToolCall()], cuts);
            assertEquals(expected, m.firstToolCallNanos,
                    name + " first tool call, cut at " + (cuts.length == 2 ? cuts[0] : cuts.length + " reads"));
        }
    }
}
