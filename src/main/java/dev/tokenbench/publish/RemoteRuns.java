package dev.tokenbench.publish;

import dev.tokenbench.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbench.run.SavedRun;
import dev.tokenbench.store.RunFilter;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Finished runs read from a running tokenbench service for {@code compare --server}: {@code GET /api/runs} with
 * the filters, then each run's stored run.json and request records. Reads are bounded in time; what a failure
 * says never holds the token.
 */
public final class RemoteRuns {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** The service could not be read, or answered with an error: the message says which and what to do. */
    public static final class RemoteException extends Exception {
        public RemoteException(String message) {
            super(message);
        }
    }

    private final URI apiUrl;
    private final String token;
    private final CentralApi api;

    /**
     * @param server the service's URL (http://host:8080) or its API URL (…/api)
     * @param token  a bearer token for the reads, or null when they are public
     */
    public RemoteRuns(URI server, String token) {
        this.apiUrl = apiUrl(server);
        this.token = token;
        this.api = CentralCalls.client(apiUrl);
    }

    /** http://host:8080 and http://host:8080/ become http://host:8080/api; an URL ending in /api stays. */
    public static URI apiUrl(URI server) {
        String s = server.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s.endsWith("/api") ? s : s + "/api");
    }

    public URI url() {
        return apiUrl;
    }

    /** The runs the filter matches, newest first, each with its records. Runs still queued or running are left out. */
    public List<SavedRun> runs(RunFilter filter, String since) throws RemoteException, SavedRun.NotARunException {
        String auth = token == null ? null : "Bearer " + token;
        JsonNode list = json(call(() -> api.listRuns(auth, filter.benchmark(), filter.target(), filter.probe(),
                since, filter.limit()), "GET /api/runs"), "GET /api/runs");
        if (!list.path("runs").isArray()) {
            throw new RemoteException(apiUrl + " is not a tokenbench service API: GET /api/runs answered no runs "
                    + "list");
        }
        List<SavedRun> runs = new ArrayList<>();
        for (JsonNode info : list.path("runs")) {
            String status = info.path("status").asText();
            if (status.equals("queued") || status.equals("running")) {
                continue;
            }
            String id = info.path("id").asText();
            String runJson = call(() -> api.runJson(auth, id), "GET /api/runs/" + id + "/run.json");
            String records = call(() -> api.records(auth, id), "GET /api/runs/" + id + "/requests");
            List<String> lines = records.lines().filter(l -> !l.isBlank()).toList();
            runs.add(SavedRun.stored(id, apiUrl.toString(), runJson, lines, info.path("probe").asText(null),
                    info.path("region").asText("")));
        }
        return runs;
    }

    private interface Call {
        String get();
    }

    private String call(Call call, String what) throws RemoteException {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String error = CentralCalls.errorOf(e);
            if (status == 401) {
                throw new RemoteException("the service at " + apiUrl + " wants a bearer token for reads and "
                        + (token == null ? "none was given: give --token-file FILE or set TOKENBENCH_API_TOKEN"
                                : "refused the one given (--token-file or TOKENBENCH_API_TOKEN)"));
            }
            if (status == 404 && what.equals("GET /api/runs")) {
                throw new RemoteException(apiUrl + " is not a tokenbench service API (GET /api/runs answered "
                        + "HTTP 404); give the service's URL, e.g. http://host:8080");
            }
            throw new RemoteException(what + " at " + apiUrl + " answered HTTP " + status + error);
        } catch (ProcessingException e) {
            throw new RemoteException("cannot reach the tokenbench service at " + apiUrl + ": "
                    + CentralCalls.describe(e));
        }
    }

    private JsonNode json(String body, String what) throws RemoteException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RemoteException(what + " at " + apiUrl + " did not answer JSON: not a tokenbench service?");
        }
    }
}
