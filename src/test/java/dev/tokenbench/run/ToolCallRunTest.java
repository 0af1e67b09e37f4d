package dev.tokenbench.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.BenchmarkLoader;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.core.Json;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.report.HtmlReport;
import dev.tokenbench.report.MarkdownReport;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end through the run engine against the in-process simulator: targets that send {@code tools} and
 * {@code tool_choice} through {@code params} get a tool-call answer in their API's own events, and every request is
 * an ok answer with output tokens, a TTFT and its first tool-call stamp, never an empty one.
 */
@Timeout(120)
class ToolCallRunTest {
    private static final String YAML = """
            name: tools
            targets:
              - {name: chat, api: openai-chat, base-url: 'sim://s/v1', model: gpt-4.1-mini,
                 params: {tools: [{type: function, function: {name: get_weather, parameters: {type: object}}}],
                          tool_choice: required, stream_options: {include_usage: false}}}
              - {name: anthropic, api: anthropic, base-url: 'sim://s', model: claude-sonnet-4-5,
                 params: {tools: [{name: get_weather, input_schema: {type: object}}], tool_choice: {type: any}}}
              - {name: responses, api: openai-responses, base-url: 'sim://s/v1', model: gpt-4.1-mini,
                 params: {tools: [{type: function, name: get_weather, parameters: {type: object}}],
                          tool_choice: required}}
              - {name: azure-responses, api: azure-openai-responses, base-url: 'sim://s', deployment: gpt-4.1-mini,
                 params: {tools: [{type: function, name: get_weather, parameters: {type: object}}]}}
              - {name: gemini, api: gemini, base-url: 'sim://s', model: gemini-2.5-flash,
                 params: {tools: [{functionDeclarations: [{name: get_weather}]}],
                          toolConfig: {functionCallingConfig: {mode: ANY}}}}
              - {name: vertex, api: vertex-gemini, base-url: 'sim://s', model: gemini-2.5-flash,
                 project: p, location: us-central1,
                 params: {tools: [{functionDeclarations: [{name: get_weather}]}]}}
              - {name: bedrock, api: bedrock-converse, base-url: 'sim://s', model: 'openai.gpt-oss-120b-1:0',
                 params: {toolConfig: {tools: [{toolSpec: {name: get_weather, inputSchema: {json: {type: object}}}}],
                                       toolChoice: {any: {}}}}}
              - {name: azure, api: azure-openai, base-url: 'sim://s', deployment: gpt-4.1-mini,
                 params: {tools: [{type: function, function: {name: get_weather}}], tool_choice: auto}}
              - {name: plain, api: openai-chat, base-url: 'sim://s/v1', model: gpt-4.1-mini}
            prompts: {synthetic: {input-tokens: 16, output-tokens: 20, count: 2}}
            load: {mode: closed, concurrency: 2, requests: 4, warmup: 0, timeout: 10s, stall-timeout: 5s}
            simulator:
              scenarios:
                s: {ttft: 20ms, tokens-per-second: 400, output-tokens: 20}
            """;

    @Test
    void everyToolCallAnswerIsOkWithOutputTokensAndItsFirstToolCallStamp(@TempDir Path dir) throws Exception {
        ProviderRegistry providers = ProviderRegistry.defaults();
        RunPlan plan = new BenchmarkLoader(name -> null, dir, providers).load("tools.yaml", YAML, dir);
        Vertx client = Vertx.vertx();
        RunResult result;
        try {
            result = new RunEngine(client, providers).start(plan, "tools", dir, null).await();
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Map<String, Integer> seen = new HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("requests.jsonl"));
        for (String line : lines) {
            JsonNode r = Json.MAPPER.readTree(line);
            String target = r.path("target").asText();
            seen.merge(target, 1, Integer::sum);
            assertEquals("ok", r.path("outcome").asText(), line);
            assertTrue(r.path("output_tokens").asLong() > 0, line);
            assertTrue(r.path("ttft_ms").isNumber(), line);
            if (target.equals("plain")) {
                assertEquals(0, r.path("tool_calls").asInt(), line);
                assertTrue(r.path("t_first_tool_call_ns").isNull(), line);
                continue;
            }
            if (target.equals("gemini") || target.equals("vertex")) {
                // Gemini sends each call whole: the simulator sends one per event.
                assertTrue(r.path("tool_calls").asInt() >= 1, line);
            } else {
                assertEquals(1, r.path("tool_calls").asInt(), line);
            }
            assertTrue(r.path("tool_call_tokens").asLong() > 0, line);
            assertTrue(r.path("t_first_tool_call_ns").asLong() > 0, line);
            assertEquals(r.path("t_first_token_ns").asLong(), r.path("t_first_tool_call_ns").asLong(),
                    "the call is the answer's first output: " + line);
            assertEquals(r.path("ttft_ms").asDouble(), r.path("time_to_first_tool_call_ms").asDouble(), line);
            if (target.equals("chat")) {
                assertTrue(r.path("tokens_estimated").asBoolean(), "no usage asked: " + line);
                assertEquals(r.path("tool_call_tokens").asLong(), r.path("output_tokens").asLong(), line);
            }
        }
        assertEquals(Map.of("chat", 4, "anthropic", 4, "responses", 4, "azure-responses", 4, "gemini", 4,
                "vertex", 4, "bedrock", 4, "azure", 4, "plain", 4), seen);
        assertFalse(lines.isEmpty());

        JsonNode runJson = RunJson.toJson(result, "test");
        for (JsonNode target : runJson.path("targets")) {
            JsonNode calls = target.path("tool_calls");
            if (target.path("name").asText().equals("plain")) {
                assertTrue(calls.isMissingNode(), "no tool call, no block: " + target);
                continue;
            }
            assertEquals(4, calls.path("requests").asInt(), calls.toString());
            assertTrue(calls.path("tokens").asLong() > 0, calls.toString());
            double p50 = calls.path("time_to_first_tool_call_ms_p50").asDouble();
            double p99 = calls.path("time_to_first_tool_call_ms_p99").asDouble();
            assertTrue(p50 >= 20 && p50 <= p99, "from the send, past the scenario's 20 ms TTFT: " + calls);
        }
        RunJsonReader reader = RunJsonReader.of(runJson, "run.json");
        for (int i = 0; i < result.plan().targets().size(); i++) {
            String name = result.plan().targets().get(i).name();
            assertEquals(result.targets().get(i).toolCalls(), reader.summary(i, name).toolCalls(),
                    "run.json's tool_calls read back: " + name);
        }
        String html = HtmlReport.render(result);
        assertEquals(8, html.split("4 of 4 answered with a tool call \\(", -1).length - 1,
                "one line on each card of a target whose answers were tool calls, none on the plain one");
        String md = MarkdownReport.render(result);
        assertEquals(8, md.split("4 of 4 answered with a tool call \\(", -1).length - 1,
                "report.md lists the same eight targets under Tool calls: " + md);
        assertTrue(md.contains("\n## Tool calls\n"), md);
    }
}
