package dev.tokenbench.sim;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A made-up API whose bytes are readable text, so a test sees which API wrote a response and exactly what the
 * engine asked of its encoder: {@code <name responseId>} once, {@code [r3]} or {@code [v2]} per reasoning or visible
 * event of that many tokens, then {@code <end finishReason promptTokens outputTokens reasoningTokens>}.
 *
 * <p>The request: the query {@code max=N} sets maxTokens, the header {@code x-show-reasoning: yes} asks for
 * reasoning, the body {@code refuse} is refused with 422, {@code crash} makes parse throw, {@code crash-mid} makes
 * the second event throw.
 */
final class FakeSimApi implements SimApi {

    /** The prompt of every request, for usage. */
    static final String PROMPT = "count these words";

    private final String name;
    private final String method;
    private final Set<String> paths;

    FakeSimApi(String name, String method, String... paths) {
        this.name = name;
        this.method = method;
        this.paths = Set.of(paths);
    }

    @Override
    public String api() {
        return name;
    }

    @Override
    public boolean handles(String method, String path) {
        return this.method.equals(method) && paths.contains(path);
    }

    @Override
    public SimRequest parse(String path, String query, MultiMap headers, Buffer body) throws SimRequestException {
        String text = body.toString();
        if (text.equals("refuse")) {
            throw new SimRequestException(422, "refused by " + name, null, "refused");
        }
        if (text.equals("crash")) {
            throw new IllegalStateException("a bug in " + name);
        }
        Integer maxTokens = query != null && query.startsWith("max=") ? Integer.valueOf(query.substring(4)) : null;
        return new SimRequest(text, maxTokens, true, List.of(PROMPT),
                "yes".equals(headers.get("x-show-reasoning")));
    }

    @Override
    public SimError error(int status, String message, String code) {
        return new SimError(status, "application/x-" + name + "-error",
                Buffer.buffer(name + " " + status + " " + code + ": " + message), Map.of("x-error-from", name));
    }

    @Override
    public SimEncoder encoder(SimRequest request, SimResponseFacts facts) {
        boolean crashMidStream = request.model().equals("crash-mid");
        return new SimEncoder() {
            private int events;

            @Override
            public String contentType() {
                return "text/x-" + name;
            }

            @Override
            public Map<String, String> headers() {
                return Map.of("x-api", name, "x-streams-reasoning", Boolean.toString(facts.visibleReasoning()));
            }

            @Override
            public Buffer head() {
                return Buffer.buffer("<" + name + " " + facts.responseId() + ">");
            }

            @Override
            public void appendEvent(Buffer out, int[] tokens, int count, boolean reasoning) {
                if (crashMidStream && ++events == 2) {
                    throw new IllegalStateException("a bug in " + name + "'s encoder");
                }
                for (int i = 0; i < count; i++) {
                    if (tokens[i] < 0 || tokens[i] >= SimVocabulary.SIZE) {
                        throw new AssertionError("not a vocabulary index: " + tokens[i]);
                    }
                }
                out.appendString((reasoning ? "[r" : "[v") + count + "]");
            }

            @Override
            public Buffer tail(String finishReason, int promptTokens, int outputTokens, int reasoningTokens) {
                return Buffer.buffer("<end " + finishReason + " " + promptTokens + " " + outputTokens + " "
                        + reasoningTokens + ">");
            }
        };
    }
}
