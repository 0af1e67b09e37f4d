package dev.tokenbench.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.measure.ConversationPlace;
import dev.tokenbench.measure.Metric;
import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestRecord;
import dev.tokenbench.measure.TokenSources;
import dev.tokenbench.measure.ToolCalls;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests.jsonl line of a record, written field by field (no reflection, so native-image needs no
 * registration) and read back for {@code report DIR}. Field names are the contract of DESIGN.md §3; a figure that
 * is a {@link Metric} is written under the metric's key.
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
        conversation(g, r.conversation());
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
        number(g, Metric.TTFB_MS.key(), r.ttfbMs());
        number(g, Metric.TTFT_MS.key(), r.ttftMs());
        number(g, Metric.TTFT_FROM_INTENDED_MS.key(), r.ttftFromIntendedMs());
        number(g, Metric.TTFT_INCLUDING_RETRIES_MS.key(), r.ttftIncludingRetriesMs());
        number(g, Metric.TIME_TO_FIRST_OUTPUT_MS.key(), r.timeToFirstOutputMs());
        number(g, Metric.E2E_LATENCY_MS.key(), r.e2eLatencyMs());
        number(g, Metric.E2E_LATENCY_FROM_INTENDED_MS.key(), r.e2eLatencyFromIntendedMs());
        number(g, Metric.STREAM_TPS.key(), r.streamTokensPerSecond());
        number(g, Metric.VISIBLE_TPS.key(), r.visibleTokensPerSecond());
        number(g, Metric.E2E_TPS.key(), r.e2eTokensPerSecond());
        number(g, Metric.TPOT_MS.key(), r.tpotMs());
        number(g, Metric.MAX_STALL_MS.key(), r.maxStallMs());
        g.writeNumberField("content_events", r.contentEvents());
        number(g, Metric.TOKENS_PER_EVENT.key(), r.tokensPerEvent());
        number(g, Metric.PAUSE_SHARE.key(), r.pauseShare());

        g.writeNumberField(Metric.OUTPUT_TOKENS.key(), r.outputTokens());
        g.writeNumberField("input_tokens", r.inputTokens());
        g.writeNumberField("reasoning_tokens", r.reasoningTokens());
        g.writeNumberField("cached_input_tokens", r.cachedInputTokens());
        g.writeBooleanField("tokens_estimated", r.tokensEstimated());
        ToolCalls toolCalls = r.toolCalls();
        g.writeNumberField("tool_calls", toolCalls.calls());
        nanos(g, "t_first_tool_call_ns", toolCalls.firstToolCallNanos());
        number(g, "time_to_first_tool_call_ms", toolCalls.timeToFirstToolCallMs());
        g.writeNumberField("tool_call_tokens", toolCalls.tokens());
        TokenSources sources = r.tokenSources();
        nullableString(g, "output_tokens_source", sources.output());
        nullableString(g, "input_tokens_source", sources.input());
        nullableString(g, "reasoning_tokens_source", sources.reasoning());
        nullableString(g, "visible_tokens_source", sources.visible());
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
        return RequestRecord.builder().requestId(n.path("request_id").asText()).target(n.path("target").asText())
                .warmup(n.path("warmup").asBoolean()).promptId(n.path("prompt_id").asText(null))
                .outcome(outcome(n.path("outcome").asText())).attempts(n.path("attempts").asInt(1))
                .httpStatus(n.path("http_status").asInt()).intendedStartNanos(n.path("t_intended_ns").asLong())
                .sentNanos(n.path("t_send_ns").asLong()).headersNanos(n.path("t_headers_ns").asLong())
                .firstOutputNanos(n.path("t_first_output_ns").asLong())
                .firstTokenNanos(n.path("t_first_token_ns").asLong()).endNanos(n.path("t_end_ns").asLong())
                .ttfbMs(dbl(n, Metric.TTFB_MS)).ttftMs(dbl(n, Metric.TTFT_MS))
                .timeToFirstOutputMs(dbl(n, Metric.TIME_TO_FIRST_OUTPUT_MS))
                .e2eLatencyMs(dbl(n, Metric.E2E_LATENCY_MS)).streamTokensPerSecond(dbl(n, Metric.STREAM_TPS))
                .visibleTokensPerSecond(dbl(n, Metric.VISIBLE_TPS)).e2eTokensPerSecond(dbl(n, Metric.E2E_TPS))
                .tpotMs(dbl(n, Metric.TPOT_MS)).maxStallMs(dbl(n, Metric.MAX_STALL_MS))
                .contentEvents(n.path("content_events").asInt())
                .tokensPerEvent(dbl(n, Metric.TOKENS_PER_EVENT)).pauseShare(dbl(n, Metric.PAUSE_SHARE))
                .outputTokens(n.path(Metric.OUTPUT_TOKENS.key()).asLong())
                .inputTokens(n.path("input_tokens").asLong()).reasoningTokens(n.path("reasoning_tokens").asLong())
                .cachedInputTokens(n.path("cached_input_tokens").asLong())
                .tokensEstimated(n.path("tokens_estimated").asBoolean())
                .estimatedOutputTokens(n.path("estimated_output_tokens").asLong(-1))
                .tokenSources(new TokenSources(n.path("output_tokens_source").asText(null),
                        n.path("input_tokens_source").asText(null), n.path("reasoning_tokens_source").asText(null),
                        n.path("visible_tokens_source").asText(null)))
                .costUsd(n.path("cost").asDouble())
                .error(n.path("error").isTextual() ? n.path("error").asText() : null)
                .connectionReused(reused.isBoolean() ? reused.asBoolean() : null).connectMs(dbl(n, "connect_ms"))
                .httpVersion(n.path("http_version").isTextual() ? n.path("http_version").asText() : null)
                .headers(headers).step(n.path("step").asInt()).retried(n.path("retried").asBoolean())
                .firstAttemptSentNanos(n.path("t_first_attempt_send_ns").asLong())
                .retryAfterMs(dbl(n, "retry_after_ms")).clientLagMs(dbl(n, "client_lag_ms"))
                .leftOutForLag(LEFT_OUT_CLIENT_LAG.equals(n.path("left_out").asText(null)))
                .toolCalls(toolCalls(n))
                .conversation(readConversation(n)).build();
    }

    /** {@code conversation_id} and {@code turn}, written only for a conversation's turn. */
    private static void conversation(JsonGenerator g, ConversationPlace place) throws IOException {
        if (place != null) {
            g.writeStringField("conversation_id", place.conversationId());
            g.writeNumberField("turn", place.turn());
        }
    }

    private static ConversationPlace readConversation(JsonNode n) {
        JsonNode id = n.path("conversation_id");
        return id.isTextual() ? new ConversationPlace(id.asText(), n.path("turn").asInt()) : null;
    }

    /** A line written before tool calls were kept has none. */
    private static ToolCalls toolCalls(JsonNode n) {
        long first = n.path("t_first_tool_call_ns").asLong();
        int calls = n.path("tool_calls").asInt();
        if (first == 0 && calls == 0) {
            return ToolCalls.NONE;
        }
        return new ToolCalls(calls, first, dbl(n, "time_to_first_tool_call_ms"), n.path("tool_call_tokens").asLong());
    }

    private static Outcome outcome(String label) {
        for (Outcome o : Outcome.values()) {
            if (o.label().equals(label)) {
                return o;
            }
        }
        return Outcome.PROTOCOL_ERROR;
    }

    private static double dbl(JsonNode n, Metric metric) {
        return dbl(n, metric.key());
    }

    private static double dbl(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static void nullableString(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
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
