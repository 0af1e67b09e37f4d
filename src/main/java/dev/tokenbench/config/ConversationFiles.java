package dev.tokenbench.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tokenbench.core.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Conversation files: a JSONL file (one conversation per line) or a YAML file ({@code conversations:} list), each
 * conversation {@code {id, system?, turns: [{user, assistant?, expected-output-tokens?}]}}. Every turn but the last
 * needs its {@code assistant} text: the next turn sends it back as the model's earlier reply. Errors name the file,
 * the line (JSONL) and the field.
 */
final class ConversationFiles {
    private static final List<String> FILE_KEYS = List.of("name", "system", "conversations");
    private static final List<String> CONVERSATION_KEYS = List.of("id", "system", "turns");
    private static final List<String> TURN_KEYS = List.of("user", "assistant", "expected-output-tokens");

    private ConversationFiles() {
    }

    /** One turn as written. */
    record Turn(String user, String assistant, Integer expectedOutputTokens) {
    }

    /** One conversation as written; {@code system} null for none. */
    record Written(String id, String system, List<Turn> turns) {
    }

    /** Finds, reads and validates the file; null after recording its errors. */
    static PromptSet load(String written, Duration thinkTime, Problems benchmark, Path baseDir, Path workingDir) {
        List<Path> candidates = SecretReferences.candidates(written, baseDir, workingDir);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                Problems problems = benchmark.forFile(written);
                String text = YamlFiles.read(candidate, problems);
                return text == null ? null : parse(written, text, thinkTime, problems);
            }
        }
        benchmark.add("prompts.conversations", "conversation file '" + written + "' not found (looked in "
                + SecretReferences.describe(candidates) + "); check the path, or use synthetic-conversations: "
                + "{conversations: 4, turns: 5, input-tokens-per-turn: 200, output-tokens-per-turn: 100}");
        return null;
    }

    /** Validates a conversation file's text: JSONL when its name ends in .jsonl, else YAML. */
    static PromptSet parse(String display, String text, Duration thinkTime, Problems problems) {
        int before = problems.count();
        List<Written> conversations = display.endsWith(".jsonl") ? parseJsonLines(text, problems)
                : parseYaml(text, problems);
        if (conversations == null || problems.count() > before) {
            return null;
        }
        if (conversations.isEmpty()) {
            problems.add("conversations", "the file has no conversation; write at least one, e.g. "
                    + "{\"id\": \"c1\", \"turns\": [{\"user\": \"Hello\"}]}");
            return null;
        }
        if (conversations.size() > Conversations.MAX_CONVERSATIONS) {
            problems.add("conversations", "has " + conversations.size() + " conversations; at most "
                    + Conversations.MAX_CONVERSATIONS + " are allowed");
            return null;
        }
        return assemble(PromptSets.fileNameWithoutExtension(display), display, conversations, thinkTime);
    }

    private static List<Written> parseJsonLines(String text, Problems problems) {
        List<Written> conversations = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1);
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                problems.add(where, "is not a JSON object (" + e.getOriginalMessage() + "); write one conversation "
                        + "per line as {\"id\": \"c1\", \"turns\": [{\"user\": \"Hello\"}]}");
                continue;
            }
            Written conversation = conversation(node, where, null, problems, ids);
            if (conversation != null) {
                conversations.add(conversation);
            }
        }
        return conversations;
    }

    private static List<Written> parseYaml(String text, Problems problems) {
        JsonNode tree = YamlFiles.parse(text, problems);
        if (tree == null) {
            return null;
        }
        Fields file = Fields.of(tree, "", "name, system and conversations", problems, null);
        if (file == null) {
            return null;
        }
        file.allowOnly(FILE_KEYS);
        Text system = file.text("system");
        if (!file.has("conversations")) {
            problems.add("conversations", "is required; list the conversations, each with an id and turns");
            return null;
        }
        ArrayNode entries = file.list("conversations", "conversations, each with an id and turns");
        if (entries == null) {
            return null;
        }
        List<Written> conversations = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Written conversation = conversation(entries.get(i), "conversations[" + i + "]",
                    system == null ? null : system.value(), problems, ids);
            if (conversation != null) {
                conversations.add(conversation);
            }
        }
        return conversations;
    }

    private static Written conversation(JsonNode node, String path, String defaultSystem, Problems problems,
            Set<String> ids) {
        Fields c = Fields.of(node, path, "id, system and turns", problems, null);
        if (c == null) {
            return null;
        }
        int before = problems.count();
        c.allowOnly(CONVERSATION_KEYS);
        Text id = c.requiredText("id", "id is required; give the conversation a unique id such as trip-planning");
        Text system = c.text("system");
        if (id != null && !ids.add(id.value())) {
            problems.add(c.path("id"), "id '" + id.value() + "' is used by an earlier conversation; ids must be "
                    + "unique");
        }
        if (!c.has("turns")) {
            problems.add(c.path("turns"), "turns is required; list the turns, each with a user text");
            return null;
        }
        ArrayNode entries = c.list("turns", "turns, each with a user text");
        if (entries == null) {
            return null;
        }
        if (entries.isEmpty()) {
            problems.add(c.path("turns"), "is empty; a conversation needs at least one turn with a user text");
            return null;
        }
        if (entries.size() > Conversations.MAX_TURNS) {
            problems.add(c.path("turns"), "has " + entries.size() + " turns; at most " + Conversations.MAX_TURNS
                    + " are allowed");
            return null;
        }
        List<Turn> turns = new ArrayList<>();
        for (int t = 0; t < entries.size(); t++) {
            Fields turn = Fields.of(entries.get(t), c.path("turns") + "[" + t + "]",
                    "user, assistant and expected-output-tokens", problems, null);
            if (turn == null) {
                continue;
            }
            turn.allowOnly(TURN_KEYS);
            Text user = turn.requiredText("user", "user is required; write what the user says in this turn");
            Text assistant = turn.text("assistant");
            Integer expected = turn.integer("expected-output-tokens", 1);
            boolean last = t == entries.size() - 1;
            if (!last && (assistant == null || assistant.value().isBlank())) {
                problems.add(turn.path("assistant"), "is required on every turn but the last: the next turn sends "
                        + "it back as the model's earlier reply; write the recorded reply");
            }
            if (user != null) {
                turns.add(new Turn(user.value(), assistant == null ? null : assistant.value(), expected));
            }
        }
        if (problems.count() > before || id == null) {
            return null;
        }
        String effective = system != null ? system.value() : defaultSystem;
        return new Written(id.value(), effective == null || effective.isBlank() ? null : effective,
                List.copyOf(turns));
    }

    /** One prompt per turn, each carrying the turns before it; ids {@code <conversation>-t<turn>}. */
    static PromptSet assemble(String name, String source, List<Written> written, Duration thinkTime) {
        List<Prompt> prompts = new ArrayList<>();
        List<Conversations.Conversation> conversations = new ArrayList<>(written.size());
        for (Written c : written) {
            conversations.add(new Conversations.Conversation(c.id(), prompts.size(), c.turns().size()));
            List<Prompt.Message> history = new ArrayList<>();
            for (int t = 0; t < c.turns().size(); t++) {
                Turn turn = c.turns().get(t);
                prompts.add(new Prompt(c.id() + "-t" + (t + 1), c.system(), turn.user(), turn.expectedOutputTokens(),
                        new Prompt.ConversationTurn(c.id(), t + 1, history)));
                history.add(new Prompt.Message(Prompt.Role.USER, turn.user()));
                history.add(new Prompt.Message(Prompt.Role.ASSISTANT, turn.assistant() == null ? ""
                        : turn.assistant()));
            }
        }
        return new PromptSet(name, source, List.copyOf(prompts), new Conversations(conversations, thinkTime));
    }
}
