package dev.tokenbench.sim;

import java.time.Duration;

/**
 * One fault rule of a scenario: what goes wrong, and for which requests. The simulator plays it on every API in
 * that API's own bytes (its error bodies, its error events, its framing).
 *
 * <p>Selection: {@code every} > 0 picks the N-th, 2N-th, … request of the scenario; otherwise {@code share} is the
 * chance that a request is picked, drawn from a generator seeded by the scenario's seed and the request's index
 * (same seed, same requests). A request gets the first rule that picks it, and at most one.
 *
 * @param kind        what happens, see {@link Kind}
 * @param share       0..1: share of requests picked (used when {@code every} is 0)
 * @param every       pick every N-th request; 0: use {@code share}
 * @param afterTokens the stream faults ({@link Kind#afterTokens()}): output tokens written before the fault
 * @param status      {@link Kind#HTTP_ERROR}: the HTTP status (400–599)
 * @param retryAfter  {@link Kind#HTTP_ERROR}: sent as {@code retry-after} (whole seconds, rounded up) and
 *                    {@code retry-after-ms}; null sends none beyond what the provider sends on its own
 * @param message     {@link Kind#HTTP_ERROR} and {@link Kind#ERROR_EVENT}: the provider's message; null: a default
 * @param duration    {@link Kind#STALL}: the pause; {@link Kind#SLOW_HEADERS}: the extra wait before the headers
 * @param bytes       {@link Kind#BIG_LINE}: bytes of text in the one big event
 * @param keepAlive   stream faults: while the response waits (for the first event, in a stall, in a hang), a
 *                    keep-alive (an SSE comment, Anthropic's ping) at this interval; null: none
 */
public record SimFault(
        Kind kind,
        double share,
        int every,
        int afterTokens,
        int status,
        Duration retryAfter,
        String message,
        Duration duration,
        int bytes,
        Duration keepAlive) {

    public static final int DEFAULT_BIG_LINE_BYTES = 1 << 20;

    /** The faults the simulator can play; {@link #label()} is the {@code kind} of the benchmark file. */
    public enum Kind {
        /** An HTTP error response with the provider's error body (and {@code retry-after} when set). */
        HTTP_ERROR("http-error", false),
        /** The connection is closed in the middle of the stream, after {@code after-tokens} tokens. */
        RESET("reset", true),
        /** The body ends cleanly after {@code after-tokens} tokens, without the stream's closing event(s). */
        TRUNCATE("truncate", true),
        /** The provider's own error event (error chunk, exception frame, …), then the body ends. */
        ERROR_EVENT("error-event", true),
        /** No byte for {@code duration}, then the stream goes on (every later event shifted by it). */
        STALL("stall", true),
        /** No byte ever again (keep-alives only, when set): the client has to give up. */
        HANG("hang", true),
        /** One event whose JSON is cut short (Bedrock: a frame with a bad CRC), then the stream goes on. */
        MALFORMED("malformed", true),
        /** One event of {@code bytes} bytes of text (default 1 MiB), then the stream goes on. */
        BIG_LINE("big-line", true),
        /** The status line and headers come {@code duration} later, and everything after them too. */
        SLOW_HEADERS("slow-headers", false),
        /** No fault but keep-alives at {@code keep-alive} while the response waits for its first event. */
        KEEP_ALIVE("keep-alive", false),
        /** Every event is written in two writes, split inside a multi-byte UTF-8 character. */
        UTF8_SPLIT("utf8-split", false),
        /** Lines end with CR LF instead of LF (SSE APIs; Gemini's already do). */
        CRLF("crlf", false);

        private final String label;
        private final boolean afterTokens;

        Kind(String label, boolean afterTokens) {
            this.label = label;
            this.afterTokens = afterTokens;
        }

        public String label() {
            return label;
        }

        /** True for the faults that happen once, at a point in the stream given by {@code after-tokens}. */
        public boolean afterTokens() {
            return afterTokens;
        }

        /** The kind with this label, or null. */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A rule of this kind for every request, with the kind's defaults: for tests and code. */
    public static SimFault of(Kind kind) {
        return SimFault.builder()
                .kind(kind)
                .share(1)
                .every(0)
                .afterTokens(0)
                .status(kind == Kind.HTTP_ERROR ? 500 : 0)
                .retryAfter(null)
                .message(null)
                .duration(kind == Kind.STALL || kind == Kind.SLOW_HEADERS ? Duration.ofSeconds(1) : null)
                .bytes(kind == Kind.BIG_LINE ? DEFAULT_BIG_LINE_BYTES : 0)
                .keepAlive(kind == Kind.KEEP_ALIVE ? Duration.ofSeconds(1) : null)
                .build();
    }

    public SimFault withShare(double share) {
        return toBuilder()
                .share(share)
                .every(0)
                .build();
    }

    public SimFault withEvery(int every) {
        return toBuilder()
                .every(every)
                .build();
    }

    public SimFault withAfterTokens(int afterTokens) {
        return toBuilder()
                .afterTokens(afterTokens)
                .build();
    }

    public SimFault withStatus(int status, Duration retryAfter) {
        return toBuilder()
                .status(status)
                .retryAfter(retryAfter)
                .build();
    }

    public SimFault withMessage(String message) {
        return toBuilder()
                .message(message)
                .build();
    }

    public SimFault withDuration(Duration duration) {
        return toBuilder()
                .duration(duration)
                .build();
    }

    public SimFault withBytes(int bytes) {
        return toBuilder()
                .bytes(bytes)
                .build();
    }

    public SimFault withKeepAlive(Duration keepAlive) {
        return toBuilder()
                .keepAlive(keepAlive)
                .build();
    }

    /** SimFault's fields by name, instead of one long positional call. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this SimFault's fields. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link SimFault} field by field. Unset fields are null, 0 or false. */
    public static final class Builder {
        private Kind kind;
        private double share;
        private int every;
        private int afterTokens;
        private int status;
        private Duration retryAfter;
        private String message;
        private Duration duration;
        private int bytes;
        private Duration keepAlive;

        private Builder() {
        }

        private Builder(SimFault from) {
            kind = from.kind;
            share = from.share;
            every = from.every;
            afterTokens = from.afterTokens;
            status = from.status;
            retryAfter = from.retryAfter;
            message = from.message;
            duration = from.duration;
            bytes = from.bytes;
            keepAlive = from.keepAlive;
        }

        public Builder kind(Kind kind) {
            this.kind = kind;
            return this;
        }

        public Builder share(double share) {
            this.share = share;
            return this;
        }

        public Builder every(int every) {
            this.every = every;
            return this;
        }

        public Builder afterTokens(int afterTokens) {
            this.afterTokens = afterTokens;
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder bytes(int bytes) {
            this.bytes = bytes;
            return this;
        }

        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /** The one place the canonical constructor is called. */
        public SimFault build() {
            return new SimFault(kind, share, every, afterTokens, status, retryAfter, message, duration, bytes,
                    keepAlive);
        }
    }
}
