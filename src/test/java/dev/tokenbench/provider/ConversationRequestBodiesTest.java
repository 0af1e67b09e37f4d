package dev.tokenbench.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbench.config.Pricing;
import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.Secret;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.core.Json;
import dev.tokenbench.provider.anthropic.AnthropicApi;
import dev.tokenbench.provider.azure.AzureOpenAiApi;
import dev.tokenbench.provider.bedrock.BedrockConverseApi;
import dev.tokenbench.provider.gemini.GeminiApi;
import dev.tokenbench.provider.openai.OpenAiChatApi;
import dev.tokenbench.provider.openai.OpenAiResponsesApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A conversation's third turn, as each API's reference spells a multi-turn request: the two earlier turns (user,
 * assistant, user, assistant) then the new user message, in that API's message list. Bodies are compared whole, as
 * JSON trees, against golden bodies written from the providers' API references.
 */
class ConversationRequestBodiesTest {
    private static final Prompt THIRD_TURN = new Prompt("c1-t3", "Be brief.", "And in Rome?", 100,
            new Prompt.ConversationTurn("c1", 3, List.of(
                    new Prompt.Message(Prompt.Role.USER, "What time is it in Paris?"),
                    new Prompt.Message(Prompt.Role.ASSISTANT, "It is noon in Paris."),
                    new Prompt.Message(Prompt.Role.USER, "And in London?"),
                    new Prompt.Message(Prompt.Role.ASSISTANT, "It is 11 am in London."))));

    private static TargetSpec target(String api, String model, String deployment, String apiVersion) {
        return TargetSpec.builder()
                .name("t")
                .api(api)
                .baseUrl("http://127.0.0.1:1")
                .model(model)
                .deployment(deployment)
                .apiVersion(apiVersion)
                .apiKey(new Secret("test-key", "env:KEY"))
                .pricing(Pricing.NONE)
                .labels(Map.of())
                .params(null)
                .maxOutputTokens(null)
                .maxTokensField(null)
                .tokenizer("o200k_base")
                .access(ProviderAccess.NONE)
                .build();
    }

    private static void assertBody(String golden, ProviderApi api, TargetSpec target) throws IOException {
        JsonNode expected = Json.MAPPER.readTree(golden.replace('\'', '"'));
        JsonNode actual = Json.MAPPER.readTree(api.prepare(target, "http://127.0.0.1:1", THIRD_TURN, 100).body());
        assertEquals(expected, actual);
    }

    @Test
    void openAiChatSendsTheHistoryAsChatMessages() throws IOException {
        String golden = "{'model':'gpt-4.1-mini','messages':["
                + "{'role':'system','content':'Be brief.'},"
                + "{'role':'user','content':'What time is it in Paris?'},"
                + "{'role':'assistant','content':'It is noon in Paris.'},"
                + "{'role':'user','content':'And in London?'},"
                + "{'role':'assistant','content':'It is 11 am in London.'},"
                + "{'role':'user','content':'And in Rome?'}],"
                + "'stream':true,'stream_options':{'include_usage':true},'max_completion_tokens':100}";
        assertBody(golden, new OpenAiChatApi(), target(OpenAiChatApi.NAME, "gpt-4.1-mini", null, null));
    }

    @Test
    void azureChatSendsTheSameMessages() throws IOException {
        String golden = "{'model':'gpt-4.1-mini','messages':["
                + "{'role':'system','content':'Be brief.'},"
                + "{'role':'user','content':'What time is it in Paris?'},"
                + "{'role':'assistant','content':'It is noon in Paris.'},"
                + "{'role':'user','content':'And in London?'},"
                + "{'role':'assistant','content':'It is 11 am in London.'},"
                + "{'role':'user','content':'And in Rome?'}],"
                + "'stream':true,'stream_options':{'include_usage':true},'max_completion_tokens':100}";
        JsonNode expected = Json.MAPPER.readTree(golden.replace('\'', '"'));
        JsonNode actual = Json.MAPPER.readTree(new AzureOpenAiApi().prepare(
                target(AzureOpenAiApi.NAME, null, "gpt-4.1-mini", "2024-10-21"), "http://127.0.0.1:1", THIRD_TURN,
                100).body());
        // Azure names the deployment in the URL; whatever it does with the model field, the messages are chat's.
        assertEquals(expected.get("messages"), actual.get("messages"));
    }

    @Test
    void responsesSendsTheHistoryAsInputItems() throws IOException {
        String golden = "{'model':'gpt-4.1-mini','instructions':'Be brief.','input':["
                + "{'role':'user','content':'What time is it in Paris?'},"
                + "{'role':'assistant','content':'It is noon in Paris.'},"
                + "{'role':'user','content':'And in London?'},"
                + "{'role':'assistant','content':'It is 11 am in London.'},"
                + "{'role':'user','content':'And in Rome?'}],"
                + "'stream':true,'store':false,'max_output_tokens':100}";
        assertBody(golden, new OpenAiResponsesApi(), target(OpenAiResponsesApi.NAME, "gpt-4.1-mini", null, null));
    }

    @Test
    void anthropicSendsAlternatingMessages() throws IOException {
        String golden = "{'model':'claude-sonnet-4-5','max_tokens':100,'system':'Be brief.','messages':["
                + "{'role':'user','content':'What time is it in Paris?'},"
                + "{'role':'assistant','content':'It is noon in Paris.'},"
                + "{'role':'user','content':'And in London?'},"
                + "{'role':'assistant','content':'It is 11 am in London.'},"
                + "{'role':'user','content':'And in Rome?'}],"
                + "'stream':true}";
        assertBody(golden, new AnthropicApi(), target(AnthropicApi.NAME, "claude-sonnet-4-5", null, null));
    }

    @Test
    void geminiSendsContentsWithRoleModelForTheAssistant() throws IOException {
        String golden = "{'contents':["
                + "{'role':'user','parts':[{'text':'What time is it in Paris?'}]},"
                + "{'role':'model','parts':[{'text':'It is noon in Paris.'}]},"
                + "{'role':'user','parts':[{'text':'And in London?'}]},"
                + "{'role':'model','parts':[{'text':'It is 11 am in London.'}]},"
                + "{'role':'user','parts':[{'text':'And in Rome?'}]}],"
                + "'systemInstruction':{'parts':[{'text':'Be brief.'}]},"
                + "'generationConfig':{'maxOutputTokens':100}}";
        assertBody(golden, new GeminiApi(), target(GeminiApi.NAME, "gemini-2.5-flash", null, null));
    }

    @Test
    void bedrockConverseSendsMessagesWithTextBlocks() throws IOException {
        String golden = "{'messages':["
                + "{'role':'user','content':[{'text':'What time is it in Paris?'}]},"
                + "{'role':'assistant','content':[{'text':'It is noon in Paris.'}]},"
                + "{'role':'user','content':[{'text':'And in London?'}]},"
                + "{'role':'assistant','content':[{'text':'It is 11 am in London.'}]},"
                + "{'role':'user','content':[{'text':'And in Rome?'}]}],"
                + "'system':[{'text':'Be brief.'}],"
                + "'inferenceConfig':{'maxTokens':100}}";
        assertBody(golden, new BedrockConverseApi(), target(BedrockConverseApi.NAME, "amazon.nova-pro-v1:0", null,
                null));
    }
}
