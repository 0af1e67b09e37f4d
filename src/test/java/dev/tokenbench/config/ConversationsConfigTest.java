package dev.tokenbench.config;

import dev.tokenbench.measure.TokenCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prompts: {conversations: FILE}} and {@code synthetic-conversations}: the prompts they make, and errors. */
class ConversationsConfigTest {
    private static final String HEAD =
            "targets: [{name: t, api: openai-chat, model: m, base-url: http://127.0.0.1:1}]\n";

    @TempDir
    Path dir;

    private RunPlan load(String yaml) throws ConfigException {
        return new BenchmarkLoader(Map.<String, String>of()::get, dir, ConfigFixtures.SUPPORTED)
                .load("bench.yaml", HEAD + yaml, dir);
    }

    private List<ConfigError> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).errors();
    }

    private static void assertError(List<ConfigError> errors, String file, String field, String words) {
        assertTrue(errors.stream().anyMatch(e -> e.file().equals(file) && e.field().equals(field)
                && e.fix().contains(words)), () -> "no error " + file + ": " + field + " ~ " + words + " in " + errors);
    }

    @Test
    void jsonlConversationsBecomeOnePromptPerTurnCarryingTheTurnsBefore() throws Exception {
        Files.writeString(dir.resolve("chats.jsonl"), """
                {"id": "trip", "system": "Be brief.", "turns": [{"user": "Hi", "assistant": "Hello!"}, \
                {"user": "Plan a trip", "assistant": "Where to?"}, {"user": "Rome", "expected-output-tokens": 50}]}

                {"id": "solo", "turns": [{"user": "One question"}]}
                """);
        RunPlan plan = load("prompts: {conversations: chats.jsonl, think-time: 250ms}\n");
        PromptSet set = plan.prompts();
        assertEquals(List.of("trip-t1", "trip-t2", "trip-t3", "solo-t1"),
                set.prompts().stream().map(Prompt::id).toList());
        assertEquals(new Conversations(List.of(new Conversations.Conversation("trip", 0, 3),
                new Conversations.Conversation("solo", 3, 1)), Duration.ofMillis(250)), set.conversations());
        Prompt third = set.prompts().get(2);
        assertEquals("Rome", third.user());
        assertEquals("Be brief.", third.system());
        assertEquals(50, third.expectedOutputTokens());
        assertEquals(new Prompt.ConversationTurn("trip", 3, List.of(
                new Prompt.Message(Prompt.Role.USER, "Hi"), new Prompt.Message(Prompt.Role.ASSISTANT, "Hello!"),
                new Prompt.Message(Prompt.Role.USER, "Plan a trip"),
                new Prompt.Message(Prompt.Role.ASSISTANT, "Where to?"))), third.conversation());
        assertEquals(List.of(), set.prompts().get(0).history());
        assertNull(set.prompts().get(3).system());
    }

    @Test
    void yamlConversationsTakeTheFilesSystemPrompt() throws Exception {
        Files.writeString(dir.resolve("chats.yaml"), """
                system: You are terse.
                conversations:
                  - id: a
                    turns:
                      - {user: one, assistant: uno}
                      - {user: two}
                """);
        PromptSet set = load("prompts: {conversations: chats.yaml}\n").prompts();
        assertEquals(2, set.prompts().size());
        assertEquals("You are terse.", set.prompts().get(1).system());
        assertEquals(2, set.prompts().get(1).history().size());
        assertEquals(Duration.ZERO, set.conversations().thinkTime());
    }

    @Test
    void syntheticConversationsHaveExactTurnLengthsAndAGrowingHistory() throws Exception {
        PromptSet set = load("prompts: {synthetic-conversations: {conversations: 2, turns: 3, "
                + "input-tokens-per-turn: 40, output-tokens-per-turn: 20, think-time: 1s, seed: 7}}\n").prompts();
        assertEquals(6, set.prompts().size());
        assertEquals(Duration.ofSeconds(1), set.conversations().thinkTime());
        for (Prompt p : set.prompts()) {
            int turn = p.conversation().turn();
            assertEquals(40, TokenCounter.count("o200k_base", p.user()));
            assertEquals(20, p.expectedOutputTokens());
            assertEquals(2 * (turn - 1), p.history().size());
            for (Prompt.Message m : p.history()) {
                assertEquals(m.role() == Prompt.Role.USER ? 40 : 20, TokenCounter.count("o200k_base", m.text()));
            }
        }
        // Turn 3 sends what turns 1 and 2 sent, and turn 2's user text is turn 3's third message.
        assertEquals(set.prompts().get(1).user(), set.prompts().get(2).history().get(2).text());
        assertEquals(set.prompts().get(0).history(), List.of());
        assertEquals("conversation-2", set.prompts().get(5).conversation().conversationId());
        PromptSet again = load("prompts: {synthetic-conversations: {conversations: 2, turns: 3, "
                + "input-tokens-per-turn: 40, output-tokens-per-turn: 20, think-time: 1s, seed: 7}}\n").prompts();
        assertEquals(set.prompts(), again.prompts());
    }

    @Test
    void aMissingFileIsNamedWithTheFixInTheBenchmarksPromptsField() {
        assertError(errors("prompts: {conversations: nowhere.jsonl}\n"), "bench.yaml", "prompts.conversations",
                "conversation file 'nowhere.jsonl' not found");
    }

    @Test
    void badConversationsAreNamedByFileLineAndField() throws IOException {
        Files.writeString(dir.resolve("bad.jsonl"), """
                {"id": "ok", "turns": [{"user": "hi"}]}
                {"id": "empty", "turns": []}
                {"id": "nouser", "turns": [{"assistant": "hello"}]}
                {"id": "noreply", "turns": [{"user": "a"}, {"user": "b"}]}
                not json
                {"id": "ok", "turns": [{"user": "dup"}]}
                """);
        List<ConfigError> errors = errors("prompts: {conversations: bad.jsonl}\n");
        assertError(errors, "bad.jsonl", "line 2.turns", "is empty");
        assertError(errors, "bad.jsonl", "line 3.turns[0].user", "user is required");
        assertError(errors, "bad.jsonl", "line 4.turns[0].assistant", "every turn but the last");
        assertError(errors, "bad.jsonl", "line 5", "is not a JSON object");
        assertError(errors, "bad.jsonl", "line 6.id", "used by an earlier conversation");
        assertEquals(5, errors.size(), errors::toString);
    }

    @Test
    void anEmptyConversationFileAndAMissingTurnCountAreRefused() throws IOException {
        Files.writeString(dir.resolve("none.jsonl"), "\n\n");
        assertError(errors("prompts: {conversations: none.jsonl}\n"), "none.jsonl", "conversations",
                "no conversation");
        assertError(errors("prompts: {synthetic-conversations: {turns: 3, input-tokens-per-turn: 10}}\n"),
                "bench.yaml", "prompts.synthetic-conversations.output-tokens-per-turn", "is required");
    }

    @Test
    void openLoopWithConversationsIsRefusedWithTheFix() {
        assertError(errors("prompts: {synthetic-conversations: {input-tokens-per-turn: 10, "
                + "output-tokens-per-turn: 10}}\nload: {mode: open, rate: 2, requests: 4}\n"),
                "bench.yaml", "load.mode", "closed loop only");
    }

    @Test
    void aRandomPrefixGoesBeforeTheFirstTextARequestSends() {
        Prompt.ConversationTurn place = new Prompt.ConversationTurn("c", 2, List.of(
                new Prompt.Message(Prompt.Role.USER, "first"), new Prompt.Message(Prompt.Role.ASSISTANT, "reply")));
        Prompt noSystem = new Prompt("c-t2", null, "second", 10, place);
        Prompt prefixed = noSystem.withFirstTextPrefixed("[x]\n");
        assertEquals("[x]\nfirst", prefixed.history().get(0).text(), "the conversation's first message");
        assertEquals("reply", prefixed.history().get(1).text());
        assertEquals("second", prefixed.user());
        assertEquals(2, prefixed.conversation().turn());
        assertEquals("[x]\nsys", new Prompt("c-t2", "sys", "second", 10, place).withFirstTextPrefixed("[x]\n")
                .system());
        assertEquals("[x]\nalone", new Prompt("p", null, "alone", null).withFirstTextPrefixed("[x]\n").user());
    }

    @Test
    void aPostedBenchmarkReadsConversationsOnlyFromTheServicesPromptDirectory() throws Exception {
        Path promptsDir = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(promptsDir.resolve("chats.jsonl"), "{\"id\": \"a\", \"turns\": [{\"user\": \"hi\"}]}\n");
        Files.writeString(dir.resolve("outside.jsonl"), "{\"id\": \"b\", \"turns\": [{\"user\": \"hi\"}]}\n");
        BenchmarkLoader posted = BenchmarkLoader.forPosted(new PostedPolicy(Map.of(), promptsDir, List.of()),
                ConfigFixtures.SUPPORTED);
        String head = "targets: [{name: t, api: openai-chat, model: m, base-url: 'sim://s/v1'}]\n"
                + "simulator: {scenarios: {s: {}}}\n";
        assertEquals(1, posted.load("body", head + "prompts: {conversations: chats.jsonl}\n", null).prompts()
                .prompts().size());
        List<ConfigError> errors = assertThrows(ConfigException.class, () -> posted.load("body",
                head + "prompts: {conversations: ../outside.jsonl}\n", null)).errors();
        assertError(errors, "body", "prompts.conversations", "is not in the service's prompt directory");
        assertTrue(errors.stream().noneMatch(e -> e.fix().contains(dir.toString())), errors::toString);
    }
}
