package dev.tokenbench.fuzz;

import dev.tokenbench.wire.EventStreamTestFrames;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns a fuzz input into an AWS event-stream body. Random bytes almost never pass the prelude CRC, so most
 * inputs are wrapped into frames with correct CRCs and the fuzzer reaches the header and payload parsing
 * behind them. First byte: bit 0 clear = the rest is the raw body; set = records, each wrapped into one frame:
 * {@code [u8 kind][u16 payload length][payload]}, where for raw-header frames the payload's first
 * {@code kind >> 2} bytes are the header block as is, and otherwise {@code kind} picks Bedrock's headers.
 */
public final class EventStreamFuzzInput {
    private static final String[] EVENT_TYPES = {"messageStart", "contentBlockStart", "contentBlockDelta",
            "contentBlockStop", "messageStop", "metadata", "unknownEvent"};

    private EventStreamFuzzInput() {
    }

    public static byte[] body(byte[] input) {
        if (input.length == 0 || (input[0] & 1) == 0) {
            return input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 1;
        while (p + 3 <= input.length) {
            int kind = input[p] & 0xFF;
            int length = ((input[p + 1] & 0xFF) << 8) | (input[p + 2] & 0xFF);
            p += 3;
            int take = Math.min(length, input.length - p);
            byte[] payload = java.util.Arrays.copyOfRange(input, p, p + take);
            p += take;
            out.writeBytes(frame(kind, payload));
        }
        out.write(input, p, input.length - p); // a tail that makes no record: raw bytes after the frames
        return out.toByteArray();
    }

    private static byte[] frame(int kind, byte[] payload) {
        byte[] headers;
        if ((kind & 3) == 0) {
            int headerBytes = Math.min(kind >> 2, payload.length);
            headers = java.util.Arrays.copyOf(payload, headerBytes);
            payload = java.util.Arrays.copyOfRange(payload, headerBytes, payload.length);
        } else {
            String messageType = (kind & 3) == 1 ? "event" : (kind & 3) == 2 ? "exception" : "error";
            String type = EVENT_TYPES[(kind >> 2) % EVENT_TYPES.length];
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            stringHeader(h, ":message-type", messageType);
            if ((kind & 3) == 1) {
                stringHeader(h, ":event-type", type);
                stringHeader(h, ":content-type", "application/json");
            } else if ((kind & 3) == 2) {
                stringHeader(h, ":exception-type", "throttlingException");
            } else {
                stringHeader(h, ":error-code", "InternalFailure");
                stringHeader(h, ":error-message", type);
            }
            headers = h.toByteArray();
        }
        int total = 12 + headers.length + payload.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.put(EventStreamTestFrames.prelude(total, headers.length)).put(headers).put(payload);
        frame.putInt((int) EventStreamTestFrames.crc32(frame.array(), 0, total - 4));
        return frame.array();
    }

    private static void stringHeader(ByteArrayOutputStream h, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        h.write(n.length);
        h.writeBytes(n);
        h.write(7);
        h.write(v.length >> 8);
        h.write(v.length);
        h.writeBytes(v);
    }
}
