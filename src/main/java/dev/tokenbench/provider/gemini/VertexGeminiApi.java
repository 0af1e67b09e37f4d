package dev.tokenbench.provider.gemini;

import dev.tokenbench.config.Prompt;
import dev.tokenbench.config.ProviderAccess;
import dev.tokenbench.config.TargetFields;
import dev.tokenbench.config.TargetSpec;
import dev.tokenbench.measure.RequestMeasurement;
import dev.tokenbench.provider.PreparedRequest;
import dev.tokenbench.provider.ProviderApi;
import dev.tokenbench.provider.StreamDecoder;
import dev.tokenbench.sim.SimApi;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gemini on Vertex AI, streaming:
 * {@code POST {base}/v1/projects/{project}/locations/{location}/publishers/google/models/{model}}
 * {@code :streamGenerateContent?alt=sse},
 * the same request body and stream as {@link GeminiApi}. The base comes from the location, as the google-genai
 * SDK derives it: {@code https://{location}-aiplatform.googleapis.com}, and {@code https://aiplatform.googleapis.com}
 * for {@code global}; a target's base-url overrides it (a private endpoint, a proxy, the simulator).
 *
 * <p>Auth is an OAuth access token in {@code Authorization: Bearer}: from {@code access-token} (env or file, used
 * as it is for the whole run), else from {@code token-command} (e.g. {@code gcloud auth print-access-token}), run
 * in {@link #beforeRun} and again in the background every {@link #DEFAULT_REFRESH_INTERVAL} (Google's access tokens
 * live an hour), so a long run never sends a stale token and no request waits for the command: the event loop only
 * reads the current header map. Refreshing stops when a target's token has gone unused for a whole interval (the
 * run is over) and starts again with its next run or request. The token never appears in a message or a log: a
 * failing command is reported by its program name, exit status and error output, with the token scrubbed out.
 */
public final class VertexGeminiApi implements ProviderApi {
    public static final String NAME = "vertex-gemini";
    /** The one auth scheme: an OAuth access token, from access-token or token-command. */
    public static final String BEARER = "bearer";
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(30);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** After a failed refresh the old token is still good for a while: try again soon, not after an interval. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);
    private static final int MAX_COMMAND_OUTPUT_BYTES = 64 * 1024;
    private static final int MAX_ERROR_OUTPUT_CHARS = 300;
    private static final Logger LOG = Logger.getLogger(VertexGeminiApi.class);

    private final Duration refreshInterval;
    private final Duration commandTimeout;
    /** Per target name: tokens fetched by a command. Targets with a static token or none are not in it. */
    private final Map<String, CommandToken> commandTokens = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService refresher;

    public VertexGeminiApi() {
        this(DEFAULT_REFRESH_INTERVAL, DEFAULT_COMMAND_TIMEOUT);
    }

    /** Tests shorten both. */
    public VertexGeminiApi(Duration refreshInterval, Duration commandTimeout) {
        if (refreshInterval.isNegative() || refreshInterval.isZero() || commandTimeout.isNegative()
                || commandTimeout.isZero()) {
            throw new IllegalArgumentException("refreshInterval and commandTimeout must be positive");
        }
        this.refreshInterval = refreshInterval;
        this.commandTimeout = commandTimeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String cloud() {
        return "gcp";
    }

    @Override
    public List<String> keys() {
        return List.of("auth", "access-token", "token-command", "project", "location");
    }

    @Override
    public List<String> authSchemes() {
        return List.of(BEARER);
    }

    @Override
    public boolean takesAccessToken(String auth) {
        return BEARER.equals(auth);
    }

    @Override
    public boolean derivesBaseUrl() {
        return true;
    }

    @Override
    public String baseUrlFor(ProviderAccess access) {
        return access.location() == null ? null : baseUrlFor(access.location());
    }

    @Override
    public String hint(String lowerCaseName) {
        return "vertex".equals(lowerCaseName) ? " (did you mean '" + NAME + "'?)" : null;
    }

    /**
     * Project and location are part of the request path (and, without a base-url, of the host); a token or a
     * command that prints one is required (the simulator needs none).
     */
    @Override
    public void checkAccess(TargetFields target, ProviderAccess access) {
        String project = access.project();
        String location = access.location();
        if (!target.hasBaseUrl() && (project == null || location == null)) {
            target.problem(project == null ? "project" : "location", "project and location are required for api "
                    + NAME + "; write the Google Cloud project id and location, e.g. us-central1 or global");
        }
        if (project == null && target.hasBaseUrl()) {
            target.problem("project", "project is required for api " + NAME + " (it is part of the request path); "
                    + "write the Google Cloud project id");
        }
        if (location == null && target.hasBaseUrl()) {
            target.problem("location", "location is required for api " + NAME + " (it is part of the request "
                    + "path); write it, e.g. us-central1");
        }
        if (!target.simulated() && access.accessToken() == null && access.tokenCommand().isEmpty()) {
            target.problem("access-token", NAME + " needs an OAuth access token: access-token: "
                    + "${env:VERTEX_TOKEN}, or token-command: gcloud auth print-access-token");
        }
    }

    /** {@code https://{location}-aiplatform.googleapis.com}; {@code https://aiplatform.googleapis.com} for global. */
    public static String baseUrlFor(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("vertex-gemini needs a location, e.g. us-central1 or global");
        }
        return "global".equals(location)
                ? "https://aiplatform.googleapis.com"
                : "https://" + location + "-aiplatform.googleapis.com";
    }

    @Override
    public void beforeRun(TargetSpec target) throws IOException, InterruptedException {
        GeminiApi.checkParams(target);
        ProviderAccess access = access(target);
        if (access.project() == null || access.project().isBlank()) {
            throw new IllegalArgumentException("vertex-gemini needs project: the Google Cloud project id");
        }
        baseUrlFor(access.location());
        if (usesTokenCommand(access)) {
            CommandToken token = new CommandToken(target.name(), List.copyOf(access.tokenCommand()));
            token.refreshNow();
            CommandToken previous = commandTokens.put(target.name(), token);
            if (previous != null) {
                previous.stop();
            }
            token.scheduleNext(refreshInterval);
        } else {
            CommandToken previous = commandTokens.remove(target.name());
            if (previous != null) {
                previous.stop();
            }
        }
    }

    @Override
    public PreparedRequest prepare(TargetSpec target, String resolvedBaseUrl, Prompt prompt, int maxOutputTokens) {
        ProviderAccess access = access(target);
        String base = resolvedBaseUrl == null || resolvedBaseUrl.isEmpty()
                ? baseUrlFor(access.location()) : resolvedBaseUrl;
        String uri = base + "/v1/projects/" + access.project() + "/locations/" + access.location()
                + "/publishers/google/models/" + modelId(target.model()) + ":streamGenerateContent?alt=sse";
        Map<String, String> headers = GeminiApi.jsonStreamHeaders();
        if (access.accessToken() != null) {
            headers.put("authorization", "Bearer " + access.accessToken().reveal());
        }
        return new PreparedRequest("POST", uri, headers, GeminiApi.requestBody(target, prompt, maxOutputTokens));
    }

    /** Stops every background refresh (tests; a JVM exit needs nothing, the refresher's thread is a daemon). */
    void stopRefreshing() {
        commandTokens.values().forEach(CommandToken::stop);
        commandTokens.clear();
    }

    /** The command's current token; a map lookup and a volatile read, nothing that blocks. */
    @Override
    public Map<String, String> perRequestHeaders(TargetSpec target, PreparedRequest prepared) {
        CommandToken token = commandTokens.get(target.name());
        return token == null ? Map.of() : token.use();
    }

    @Override
    public StreamDecoder newDecoder(RequestMeasurement measurement) {
        return new GeminiDecoder(measurement);
    }

    /** {@code publishers/google/models/gemini-2.5-flash} and {@code gemini-2.5-flash} are the same model. */
    private static String modelId(String model) {
        String id = GeminiApi.modelId(model);
        String publisherPrefix = "publishers/google/models/";
        return id.startsWith(publisherPrefix) ? id.substring(publisherPrefix.length()) : id;
    }

    private static ProviderAccess access(TargetSpec target) {
        return target.access() == null ? ProviderAccess.NONE : target.access();
    }

    /** A static access-token, when there is one, wins over the command. */
    private static boolean usesTokenCommand(ProviderAccess access) {
        return access.accessToken() == null && access.tokenCommand() != null && !access.tokenCommand().isEmpty();
    }

    private ScheduledExecutorService refresher() {
        ScheduledExecutorService r = refresher;
        if (r == null) {
            synchronized (this) {
                r = refresher;
                if (r == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                        Thread t = new Thread(task, "tokenbench-vertex-token-refresh");
                        t.setDaemon(true);
                        return t;
                    });
                    executor.setRemoveOnCancelPolicy(true);
                    refresher = r = executor;
                }
            }
        }
        return r;
    }

    /** One target's token from its command, kept fresh in the background. */
    private final class CommandToken {
        private final String targetName;
        private final List<String> command;
        /** The header map handed to every request; replaced whole on refresh, never mutated. */
        private volatile Map<String, String> headers = Map.of();
        private volatile boolean usedSinceRefresh;
        /** Refreshing stopped because the token went unused; the next use starts it again. */
        private final AtomicBoolean paused = new AtomicBoolean();
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> next;

        CommandToken(String targetName, List<String> command) {
            this.targetName = targetName;
            this.command = command;
        }

        /** On the event loop: two volatile reads, and a write only for the first request after a refresh. */
        Map<String, String> use() {
            if (!usedSinceRefresh) {
                usedSinceRefresh = true;
            }
            if (paused.get() && paused.compareAndSet(true, false)) {
                // The token may be old by now: fetch a new one off the loop; this request goes with the current.
                scheduleNext(Duration.ZERO);
            }
            return headers;
        }

        void refreshNow() throws IOException, InterruptedException {
            String token = runTokenCommand(command, commandTimeout);
            headers = Map.of("authorization", "Bearer " + token);
            usedSinceRefresh = false;
        }

        void scheduleNext(Duration delay) {
            if (!stopped) {
                next = refresher().schedule(this::refreshInBackground, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void refreshInBackground() {
            if (stopped) {
                return;
            }
            if (!usedSinceRefresh) {
                paused.set(true); // nobody used the token for a whole interval: the run is over
                return;
            }
            try {
                refreshNow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                usedSinceRefresh = false; // retried while in use only, not forever after the run
                // The message names the program and its error output, never the token.
                LOG.warnf("target %s: refreshing the Vertex AI access token failed, keeping the current one: %s",
                        targetName, e.getMessage());
                scheduleNext(shorter(RETRY_AFTER_FAILURE, refreshInterval));
                return;
            }
            scheduleNext(refreshInterval);
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Runs the command with no input and a time limit, and returns the last non-blank line it printed: the token.
     * Blocking: call it off the event loop. Every message names only the program, never its arguments (which a
     * user may have put a secret in) nor its standard output (the token).
     */
    static String runTokenCommand(List<String> command, Duration timeout) throws IOException, InterruptedException {
        String program = command.get(0) + (command.size() > 1 ? " …" : "");
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IOException("the token command (" + program + ") could not be started: " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        FutureTask<byte[]> stdout = readInBackground(process.getInputStream(), "stdout");
        FutureTask<byte[]> stderr = readInBackground(process.getErrorStream(), "stderr");
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("the token command (" + program + ") did not finish within "
                        + timeout.toMillis() + " ms");
            }
            String out = new String(awaitOutput(stdout), StandardCharsets.UTF_8);
            String token = lastNonBlankLine(out);
            if (process.exitValue() != 0) {
                String err = scrub(new String(awaitOutput(stderr), StandardCharsets.UTF_8), out);
                throw new IOException("the token command (" + program + ") exited with status "
                        + process.exitValue() + (err.isEmpty() ? "" : ": " + err));
            }
            if (token.isEmpty()) {
                throw new IOException("the token command (" + program + ") printed no token");
            }
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c < 0x21 || c > 0x7E) {
                    throw new IOException("the token command (" + program + ") printed something that is not an "
                            + "access token (its last line has a space or a non-ASCII character)");
                }
            }
            return token;
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static FutureTask<byte[]> readInBackground(InputStream in, String which) {
        FutureTask<byte[]> task = new FutureTask<>(() -> readBounded(in));
        Thread reader = new Thread(task, "tokenbench-token-command-" + which);
        reader.setDaemon(true);
        reader.start();
        return task;
    }

    /** Reads to the end, keeping at most {@link #MAX_COMMAND_OUTPUT_BYTES}: a chatty command never blocks. */
    private static byte[] readBounded(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) >= 0) {
                int room = MAX_COMMAND_OUTPUT_BYTES - kept.size();
                if (room > 0) {
                    kept.write(buf, 0, Math.min(room, n));
                }
            }
            return kept.toByteArray();
        }
    }

    private static byte[] awaitOutput(FutureTask<byte[]> output) throws IOException, InterruptedException {
        try {
            // The process has exited; its pipes close with it (unless a child it left behind holds them).
            return output.get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new byte[0];
        }
    }

    private static String lastNonBlankLine(String text) {
        String[] lines = text.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                return line;
            }
        }
        return "";
    }

    /** Error output, one line, short, with anything the command printed on stdout (a token) cut out. */
    private static String scrub(String stderr, String stdout) {
        String text = stderr;
        for (String line : stdout.split("\\R")) {
            String secret = line.strip();
            if (secret.length() >= 8) {
                text = text.replace(secret, "***");
            }
        }
        text = text.strip().replaceAll("\\s+", " ");
        return text.length() <= MAX_ERROR_OUTPUT_CHARS ? text : text.substring(0, MAX_ERROR_OUTPUT_CHARS) + "…";
    }

    @Override
    public SimApi simApi() {
        return GeminiSimApi.vertex();
    }
}
