package dev.tokenbench.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a target reaches its endpoint: its api-key, the auth scheme and the fields only some apis read (region,
 * project, location, access-token, token-command), each checked against the api's {@link TargetKind}; and, for a
 * benchmark posted to the service, the hosts its base URL and named credentials may reach.
 */
final class TargetAccess {
    private final LoadState state;
    private final Problems problems;

    TargetAccess(LoadState state) {
        this.state = state;
        this.problems = state.problems;
    }

    /**
     * Region, project, location and the auth scheme: each allowed only where its api reads it, and what an api
     * needs is required (its own {@link TargetKind#checkAccess}: a target that could never authenticate fails here).
     *
     * @param kind the target's api, or null when it names none
     */
    ProviderAccess read(Fields f, TargetKind kind, TargetFields fields) {
        int before = problems.count();
        String api = kind == null ? null : kind.name();
        List<String> schemes = kind == null ? List.of() : kind.authSchemes();
        String auth = null;
        if (f.has("auth")) {
            if (schemes.isEmpty()) {
                problems.add(f.path("auth"), "auth is not used by api " + api + "; remove it (this api "
                        + "authenticates with api-key)");
            } else {
                auth = f.oneOf("auth", schemes, schemes.get(0));
            }
        } else if (!schemes.isEmpty()) {
            auth = kind.defaultAuthScheme(fields.hasApiKey(), fields.simulated());
        }
        Secret accessToken = secret(f, "access-token");
        List<String> tokenCommand = tokenCommand(f);
        if (state.posted != null && !tokenCommand.isEmpty()) {
            problems.add(f.path("token-command"), "token-command cannot be used in a benchmark posted to the "
                    + "service: the service runs no command for a request; use access-token: ${credential:NAME} "
                    + "for a token named in the service's settings, or a benchmark file the service has");
            tokenCommand = List.of();
        }
        String postedAuthProblem = state.posted == null || kind == null ? null : kind.postedAuthProblem(auth);
        if (postedAuthProblem != null) {
            problems.add(f.path("auth"), postedAuthProblem);
        }
        String region = onlyFor(f, "region", kind);
        String project = onlyFor(f, "project", kind);
        String location = onlyFor(f, "location", kind);
        if (accessToken != null && (kind == null || !kind.takesAccessToken(auth))) {
            problems.add(f.path("access-token"), state.catalog.elsewhereFix("access-token"));
        }
        if (!tokenCommand.isEmpty() && (kind == null || !kind.keys().contains("token-command"))) {
            problems.add(f.path("token-command"), state.catalog.elsewhereFix("token-command"));
        }
        ProviderAccess access = new ProviderAccess(auth, accessToken, tokenCommand, region, project, location);
        if (kind != null) {
            kind.checkAccess(fields, access);
        }
        return problems.count() > before ? null : access;
    }

    /** {@code key}, which only the apis that declare it read ({@link TargetKind#keys()}). */
    private String onlyFor(Fields f, String key, TargetKind kind) {
        Text text = f.text(key);
        if (text == null) {
            return null;
        }
        if (kind != null && !kind.keys().contains(key)) {
            problems.add(f.path(key), state.catalog.elsewhereFix(key));
            return null;
        }
        if (text.value().isBlank()) {
            problems.add(f.path(key), key + " is empty; write it or remove it");
            return null;
        }
        return text.value().strip();
    }

    private Secret secret(Fields f, String key) {
        Text text = f.text(key);
        if (text == null) {
            return null;
        }
        String source = SecretReferences.sourceOf(text.asWritten());
        if (text.value().isBlank()) {
            problems.add(f.path(key), key + " is empty (from " + source + "); set it or remove it");
            return null;
        }
        if (!headerSafe(f.path(key), key, text.value().strip(), source)) {
            return null;
        }
        return new Secret(text.value().strip(), source);
    }

    /** A command as a list (run as is) or a string (split on spaces; no shell). */
    private List<String> tokenCommand(Fields f) {
        JsonNode raw = f.raw("token-command");
        if (raw == null || raw.isNull()) {
            return List.of();
        }
        List<String> command = new ArrayList<>();
        if (raw.isArray()) {
            for (JsonNode part : raw) {
                if (!part.isValueNode() || part.asText().isBlank()) {
                    problems.add(f.path("token-command"), "every part of token-command must be a non-empty "
                            + "string, e.g. [gcloud, auth, print-access-token]");
                    return List.of();
                }
                command.add(part.asText());
            }
        } else if (raw.isTextual()) {
            for (String part : raw.asText().strip().split("\\s+")) {
                if (!part.isEmpty()) {
                    command.add(part);
                }
            }
        }
        if (command.isEmpty()) {
            problems.add(f.path("token-command"), "token-command is empty; write the command that prints a "
                    + "token, e.g. gcloud auth print-access-token");
        }
        return command;
    }

    /**
     * A posted target reaches only the hosts the service allows, and a named credential only the hosts it is
     * for: a token holder cannot send the service's credentials to a server of their own.
     */
    void checkPostedHost(Fields f, String baseUrl) {
        if (baseUrl.startsWith("sim://")) {
            return;
        }
        String host;
        try {
            host = hostOf(new URI(baseUrl));
        } catch (URISyntaxException e) {
            return; // reported as the base-url's own problem
        }
        if (host == null) {
            return;
        }
        String problem = state.posted.hostProblem(host);
        if (problem != null) {
            problems.add(f.path("base-url"), problem);
            return;
        }
        for (String key : SecretReferences.CREDENTIAL_KEYS) {
            JsonNode raw = f.raw(key);
            if (raw == null || !raw.isValueNode()) {
                continue;
            }
            for (String name : SecretReferences.credentialNames(raw.asText())) {
                PostedPolicy.NamedCredential credential = state.posted.credentials().get(name);
                if (credential != null && !credential.hosts().isEmpty()
                        && !PostedPolicy.matchesAny(host, credential.hosts())) {
                    problems.add(f.path(key), "credential '" + name + "' is for " + String.join(", ",
                            credential.hosts()) + " only, not " + host + "; use it with one of those hosts");
                }
            }
        }
    }

    /**
     * The host a client will connect to. java.net.URI gives no host for names it does not take as host names
     * (2852039166, a resolver's spelling of 169.254.169.254), so those come from the authority as written.
     */
    private static String hostOf(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return null;
        }
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon >= 0 && authority.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? authority.substring(0, colon) : authority;
    }

    Secret apiKey(Fields f) {
        Text key = f.text("api-key");
        if (key == null) {
            return null;
        }
        String source = SecretReferences.sourceOf(key.asWritten());
        if (key.value().isBlank()) {
            problems.add(f.path("api-key"), "api-key is empty (from " + source + "); set the credential, or "
                    + "remove api-key for an endpoint that needs none");
            return null;
        }
        if (!headerSafe(f.path("api-key"), "api-key", key.value(), source)) {
            return null;
        }
        return new Secret(key.value(), source);
    }

    /**
     * A credential goes into a request header: a line break or another control character (a multi-line
     * secret file, a pasted key) would be refused by the HTTP client at every request, with the value in its
     * message. Said here once, naming the field and the source, never the value.
     */
    private boolean headerSafe(String field, String key, String value, String source) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c > 0xff) {
                String what = c == '\n' || c == '\r' ? "a line break" : c > 0xff ? "a character outside "
                        + "Latin-1" : "a control character";
                problems.add(field, key + " (from " + source + ") holds " + what + " at character " + (i + 1)
                        + " of " + value.length() + "; a credential is sent as one header line: keep only the "
                        + "credential itself, on one line");
                return false;
            }
        }
        return true;
    }
}
