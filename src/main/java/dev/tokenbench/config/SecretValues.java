package dev.tokenbench.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one redaction rule of a run: every value of a plan that is secret (each credential, inline or not, and every
 * value read from {@code ${env:…}} or {@code ${file:…}}) becomes {@code ***} in every output: run.json, plan.json,
 * reports, the terminal, logs, metric labels and error messages. A value is taken out wherever it appears, raw or
 * in the encodings outputs use (JSON, HTML, URL); a field whose whole value is secret shows {@code ***} even when
 * the value is too short to search for in free text. Immutable; applied when outputs are written, never per event.
 */
public final class SecretValues {
    public static final SecretValues NONE = new SecretValues(List.of());
    public static final String REDACTED = Secret.REDACTED;
    /**
     * Shorter values are replaced only where they are a field's whole value: no credential is this short, and
     * taking a short word out of free text would mangle it ("bloc***ed").
     */
    public static final int MIN_SEARCHED_CHARS = 8;

    /** Every secret value: a field equal to one of these shows ***. */
    private final Set<String> values;
    /** Each searchable value in every form an output may hold it in, longest first. */
    private final List<String> forms;

    private SecretValues(Collection<String> secrets) {
        Set<String> all = new LinkedHashSet<>();
        Set<String> searched = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s == null || s.isBlank()) {
                continue;
            }
            all.add(s);
            String stripped = s.strip();
            all.add(stripped);
            if (stripped.length() >= MIN_SEARCHED_CHARS) {
                searched.addAll(forms(stripped));
            }
        }
        this.values = Set.copyOf(all);
        List<String> sorted = new ArrayList<>(searched);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.forms = List.copyOf(sorted);
    }

    public static SecretValues of(Collection<String> secrets) {
        return secrets.isEmpty() ? NONE : new SecretValues(secrets);
    }

    /** These and the other's. */
    public SecretValues and(Collection<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(values);
        all.addAll(more);
        return new SecretValues(all);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Whether the whole value is a secret. */
    public boolean isSecret(String value) {
        return value != null && (values.contains(value) || values.contains(value.strip()));
    }

    /** The text with every secret in it, in any of its forms, as ***; a whole secret value becomes ***. */
    public String scrub(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        if (isSecret(text)) {
            return REDACTED;
        }
        String out = text;
        for (String form : forms) {
            if (out.contains(form)) {
                out = out.replace(form, REDACTED);
            }
        }
        return out;
    }

    /** Scrubs every text (and every field name) of the tree in place; returns it. */
    public <T extends JsonNode> T scrubTree(T tree) {
        if (!values.isEmpty()) {
            scrubNode(tree);
        }
        return tree;
    }

    /** A copy of the target fit for display (metric labels, reports): its shown fields scrubbed. */
    public TargetSpec displayed(TargetSpec spec) {
        if (values.isEmpty()) {
            return spec;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        spec.labels().forEach((k, v) -> labels.put(k, scrub(v)));
        return TargetSpec.builder()
                .name(spec.name())
                .api(spec.api())
                .baseUrl(scrub(spec.baseUrl()))
                .model(scrub(spec.model()))
                .deployment(scrub(spec.deployment()))
                .apiVersion(scrub(spec.apiVersion()))
                .apiKey(spec.apiKey())
                .pricing(spec.pricing())
                .labels(labels)
                .params(spec.params())
                .maxOutputTokens(spec.maxOutputTokens())
                .maxTokensField(spec.maxTokensField())
                .tokenizer(spec.tokenizer())
                .access(spec.access())
                .estimateAlongsideUsage(spec.estimateAlongsideUsage())
                .tls(spec.tls())
                .build();
    }

    private void scrubNode(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> renamed = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getValue().isTextual()) {
                    String scrubbed = scrub(field.getValue().asText());
                    if (!scrubbed.equals(field.getValue().asText())) {
                        field.setValue(TextNode.valueOf(scrubbed));
                    }
                } else {
                    scrubNode(field.getValue());
                }
                if (!scrub(field.getKey()).equals(field.getKey())) {
                    renamed.add(field.getKey());
                }
            }
            for (String key : renamed) {
                object.set(scrub(key), object.remove(key));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(scrub(array.get(i).asText())));
                } else {
                    scrubNode(array.get(i));
                }
            }
        }
    }

    /** The value raw, JSON-escaped, HTML-escaped and URL-encoded: the forms run.json, the reports and URLs use. */
    private static Set<String> forms(String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(value)));
        forms.add(html(value));
        forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        return forms;
    }

    private static String html(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
