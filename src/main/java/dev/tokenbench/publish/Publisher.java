package dev.tokenbench.publish;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends a finished run directory (run.json and requests.jsonl) to a central service's {@code POST
 * /api/runs/import}, through the typed client {@link CentralApi}, with timeouts and retries: a network error or a
 * 5xx / 429 answer is tried again (3 attempts, 1 s then 2 s apart); a 4xx is final (a wrong token does not get
 * better). What a failure says never holds the token.
 */
public final class Publisher {
    public static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Publishing did not succeed; the run stays where it is. */
    public static final class PublishException extends Exception {
        public PublishException(String message) {
            super(message);
        }
    }

    private final URI apiUrl;
    private final String token;
    private final Duration firstBackoff;

    /**
     * @param apiUrl the central service's API URL, e.g. https://central.example/api
     * @param token  its bearer token
     */
    public Publisher(URI apiUrl, String token) {
        this(apiUrl, token, Duration.ofSeconds(1));
    }

    Publisher(URI apiUrl, String token, Duration firstBackoff) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.firstBackoff = firstBackoff;
    }

    /** The bundle the import endpoint takes: the probe, its region, run.json and the records. */
    public static String bundle(Path runDir, String probe, String region) throws IOException {
        Path runJson = runDir.resolve("run.json");
        if (!Files.exists(runJson)) {
            throw new IOException(runDir + " has no run.json: not a finished run directory (a run killed before "
                    + "it ended can be completed with ./tokenbench report DIR first)");
        }
        return bundle(JSON.readTree(runJson.toFile()), runDir, probe, region);
    }

    /** As {@link #bundle(Path, String, String)}, with the run's run.json already in memory. */
    static String bundle(JsonNode runJson, Path runDir, String probe, String region) throws IOException {
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("probe", probe);
        bundle.put("region", region);
        bundle.set("run", runJson);
        ArrayNode records = bundle.putArray("records");
        Path requests = runDir.resolve("requests.jsonl");
        if (Files.exists(requests)) {
            for (String line : Files.readAllLines(requests, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    records.add(line);
                }
            }
        }
        return bundle.toString();
    }

    /** @return the id the central service stored the run under */
    public String publish(Path runDir, String probe, String region) throws IOException, PublishException,
            InterruptedException {
        checkToken();
        return send(bundle(runDir, probe, region));
    }

    /**
     * A run just finished, whose run.json is in memory.
     *
     * @return the id the central service stored the run under
     */
    public String publish(JsonNode runJson, Path runDir, String probe, String region) throws IOException,
            PublishException, InterruptedException {
        checkToken();
        return send(bundle(runJson, runDir, probe, region));
    }

    private void checkToken() throws PublishException {
        if (token == null || token.isBlank()) {
            throw new PublishException("no API token to publish with: set TOKENBENCH_API_TOKEN (the central "
                    + "service's bearer token)");
        }
    }

    private String send(String bundle) throws IOException, PublishException, InterruptedException {
        CentralApi api = CentralCalls.client(apiUrl);
        String lastError = null;
        Duration backoff = firstBackoff;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                JsonNode answer = JSON.readTree(api.importRun("Bearer " + token, bundle));
                return answer.path("id").asText();
            } catch (WebApplicationException e) {
                int status = e.getResponse().getStatus();
                lastError = "HTTP " + status + CentralCalls.errorOf(e);
                if (status < 500 && status != 429) {
                    break;
                }
            } catch (ProcessingException e) {
                lastError = CentralCalls.describe(e);
            }
            if (attempt < ATTEMPTS) {
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
        throw new PublishException("publishing to " + apiUrl + " failed: " + lastError);
    }
}
