package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests.jsonl line of a record, written field by field (no reflection, so native-image needs no
 * registration) and read back for {@code report DIR}. Field names are the contract of DESIGN.md §3.
 */
public final class RequestRecordJson {
    /** {@code left_out}'s value for a request measured while the client lagged more than {@code --drop-lagged}. */
    public static final String LEFT_OUT_CLIENT_LAG = "client_lag";
    private RequestRecordJson() {
    }

    public static void write(JsonGenerator g, RequestRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("request_id", r.requestId());
        g.writeStringField("target", r.target());
        g.writeBooleanField("ok", r.ok());
        g.writeStringField("outcome", r.outcome().label());
        g.writeBooleanField("warmup", r.warmup());
        g.writeStringField("prompt_id", r.promptId());
        g.writeNumberField("attempts", r.attempts());
        g.writeBooleanField("retried", r.retried());
        g.writeNumberField("step", r.step());
        g.writeNumberField("http_status", r.httpStatus());
        number(g, "retry_after_ms", r.retryAfterMs());
        nanos(g, "t_intended_ns", r.intendedStartNanos());
        nanos(g, "t_first_attempt_send_ns", r.firstAttemptSentNanos());
        nanos(g, "t_send_ns", r.sentNanos());
        nanos(g, "t_headers_ns", r.headersNanos());
        nanos(g, "t_first_output_ns", r.firstOutputNanos());
        nanos(g, "t_first_token_ns", r.firstTokenNanos());
        nanos(g, "t_end_ns", r.endNanos());
        number(g, "ttfb_ms", r.ttfbMs());
        number(g, "ttft_ms", r.ttftMs());
        number(g, "ttft_from_intended_ms", r.ttftFromIntendedMs());
        number(g, "ttft_including_retries_ms", r.ttftIncludingRetriesMs());
        number(g, "time_to_first_output_ms", r.timeToFirstOutputMs());
        number(g, "e2e_latency_ms", r.e2eLatencyMs());
        number(g, "e2e_latency_from_intended_ms", r.e2eLatencyFromIntendedMs());
        number(g, "stream_tps", r.streamTokensPerSecond());
        number(g, "visible_tps", r.visibleTokensPerSecond());
        number(g, "e2e_tps", r.e2eTokensPerSecond());
        number(g, "tpot_ms", r.tpotMs());
        number(g, "max_stall_ms", r.maxStallMs());
        g.writeNumberField("content_events", r.contentEvents());
        g.writeNumberField("output_tokens", r.outputTokens());
        g.writeNumberField("input_tokens", r.inputTokens());
        g.writeNumberField("reasoning_tokens", r.reasoningTokens());
        g.writeNumberField("cached_input_tokens", r.cachedInputTokens());
        g.writeBooleanField("tokens_estimated", r.tokensEstimated());
        if (r.estimatedOutputTokens() < 0) {
            g.writeNullField("estimated_output_tokens");
        } else {
            g.writeNumberField("estimated_output_tokens", r.estimatedOutputTokens());
        }
        g.writeNumberField("cost", r.costUsd());
        if (r.error() == null) {
            g.writeNullField("error");
        } else {
            g.writeStringField("error", r.error());
        }
        if (r.connectionReused() == null) {
            g.writeNullField("connection_reused");
        } else {
            g.writeBooleanField("connection_reused", r.connectionReused());
        }
        number(g, "connect_ms", r.connectMs());
        if (r.httpVersion() == null) {
            g.writeNullField("http_version");
        } else {
            g.writeStringField("http_version", r.httpVersion());
        }
        number(g, "client_lag_ms", r.clientLagMs());
        if (r.leftOutForLag()) {
            g.writeStringField("left_out", LEFT_OUT_CLIENT_LAG);
        } else {
            g.writeNullField("left_out");
        }
        g.writeObjectFieldStart("headers");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    public static RequestRecord read(JsonNode n) {
        Map<String, String> headers = new LinkedHashMap<>();
        n.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        JsonNode reused = n.path("connection_reused");
        return new RequestRecord(n.path("request_id").asText(), n.path("target").asText(),
                n.path("warmup").asBoolean(), n.path("prompt_id").asText(null), outcome(n.path("outcome").asText()),
                n.path("attempts").asInt(1), n.path("http_status").asInt(), n.path("t_intended_ns").asLong(),
                n.path("t_send_ns").asLong(), n.path("t_headers_ns").asLong(), n.path("t_first_output_ns").asLong(),
                n.path("t_first_token_ns").asLong(), n.path("t_end_ns").asLong(), dbl(n, "ttfb_ms"),
                dbl(n, "ttft_ms"), dbl(n, "time_to_first_output_ms"), dbl(n, "e2e_latency_ms"),
                dbl(n, "stream_tps"), dbl(n, "visible_tps"), dbl(n, "e2e_tps"), dbl(n, "tpot_ms"),
                dbl(n, "max_stall_ms"), n.path("content_events").asInt(), n.path("output_tokens").asLong(),
                n.path("input_tokens").asLong(), n.path("reasoning_tokens").asLong(),
                n.path("cached_input_tokens").asLong(), n.path("tokens_estimated").asBoolean(),
                n.path("estimated_output_tokens").asLong(-1), n.path("cost").asDouble(),
                n.path("error").isTextual() ? n.path("error").asText() : null,
                reused.isBoolean() ? reused.asBoolean() : null, dbl(n, "connect_ms"),
                n.path("http_version").isTextual() ? n.path("http_version").asText() : null, headers,
                n.path("step").asInt(), n.path("retried").asBoolean(), n.path("t_first_attempt_send_ns").asLong(),
                dbl(n, "retry_after_ms"), dbl(n, "client_lag_ms"),
                LEFT_OUT_CLIENT_LAG.equals(n.path("left_out").asText(null)));
    }

    private static Outcome outcome(String label) {
        for (Outcome o : Outcome.values()) {
            if (o.label().equals(label)) {
                return o;
            }
        }
        return Outcome.PROTOCOL_ERROR;
    }

    private static double dbl(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static void nanos(JsonGenerator g, String field, long nanos) throws IOException {
        if (nanos == 0) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, nanos);
        }
    }

    static void number(JsonGenerator g, String field, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, RequestRecord.thousandths(value));
        }
    }
}
