package dev.tokenbench.api;

import dev.tokenbench.serve.ServeConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bearer tokens: from tokenbench.api.tokens, TOKENBENCH_API_TOKEN and tokenbench.api.token-file. Compared in
 * constant time: both sides are hashed (SHA-256, so lengths do not show either) and compared with
 * {@link MessageDigest#isEqual}, against every token, without stopping at a match.
 */
@ApplicationScoped
public class ApiAuth {
    private static final String BEARER = "Bearer ";
    private final ServeConfig config;
    private List<byte[]> digests;

    public ApiAuth(ServeConfig config) {
        this.config = config;
    }

    private synchronized List<byte[]> digests() {
        if (digests == null) {
            List<byte[]> list = new ArrayList<>();
            config.api().tokens().ifPresent(tokens -> tokens.forEach(t -> addToken(list, t)));
            config.apiToken().ifPresent(t -> addToken(list, t));
            config.api().tokenFile().ifPresent(file -> {
                try {
                    Files.readAllLines(file, StandardCharsets.UTF_8).forEach(t -> addToken(list, t));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read tokenbench.api.token-file " + file + ": "
                            + e.getMessage(), e);
                }
            });
            digests = List.copyOf(list);
        }
        return digests;
    }

    private static void addToken(List<byte[]> list, String token) {
        if (token != null && !token.isBlank()) {
            list.add(sha256(token.strip()));
        }
    }

    /** Whether any token is configured: without one, nothing that needs a token is allowed. */
    public boolean configured() {
        return !digests().isEmpty();
    }

    /** Whether the Authorization header carries an accepted bearer token. */
    public boolean allows(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        boolean match = false;
        for (byte[] accepted : digests()) {
            match |= MessageDigest.isEqual(accepted, presented);
        }
        return match;
    }

    /** Whether a read endpoint may answer this request. */
    public boolean allowsRead(String authorization) {
        return !config.serve().readRequiresToken() || allows(authorization);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
