package dev.tokenbench.serve;

import dev.tokenbench.load.FailFast;
import dev.tokenbench.run.RunEngine;
import dev.tokenbench.store.StoreSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of {@code serve} (and of the history store the CLI shares), in one place: application.yaml (in
 * the application, or config/application.yaml in the working directory) under {@code tokenbench.}, each
 * overridable by environment (TOKENBENCH_SERVE_PORT, TOKENBENCH_STORE_KIND, …). The API token also comes from
 * TOKENBENCH_API_TOKEN or a file.
 */
@ConfigMapping(prefix = "tokenbench")
public interface ServeConfig {
    Serve serve();

    StoreSettings store();

    Api api();

    /**
     * The command line to run when the executable gets no arguments (e.g. {@code serve}). Read by TokenbenchMain
     * before the application starts, so it takes effect only as -Dtokenbench.command or TOKENBENCH_COMMAND.
     */
    Optional<String> command();

    /** TOKENBENCH_API_TOKEN: one more accepted token, for a container's secret. */
    Optional<String> apiToken();

    Probe probe();

    Retention retention();

    Publish publish();

    interface Serve {
        /** Set by {@code serve} (and the tests' profile): the service's parts start with the application. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The address {@code serve} listens on (--host overrides it): loopback unless opened on purpose, e.g.
         * 0.0.0.0 (every interface) in a container, whose images set it.
         */
        @WithDefault("127.0.0.1")
        String host();

        /** HTTP port of {@code serve} (--port overrides it). */
        @WithDefault("8080")
        int port();

        /** Where the configured benchmarks live: NAME.yaml (or .yml, .json) is benchmark NAME. */
        @WithDefault("benchmarks")
        Path benchmarksDir();

        /** A cron expression (Quartz syntax, with seconds) per configured benchmark name. */
        Map<String, String> schedules();

        /** Runs that may wait behind the one running; one more is refused (429). */
        @WithDefault("8")
        int maxQueued();

        /**
         * When the service stops (SIGTERM) during a run: no request starts any more, those in flight get this long
         * to finish, the rest are cancelled, and the run is stored as interrupted. Keep it well under the
         * platform's kill deadline (Kubernetes: terminationGracePeriodSeconds, 30 s by default).
         */
        @WithDefault("10s")
        Duration stopGrace();

        /**
         * A target whose first this-many requests all fail with HTTP 401, 403 or 404 stops sending (a wrong key,
         * base-url or deployment: more requests cannot change it), and the run says why; 0 never stops one. As the
         * CLI's {@code --fail-fast}.
         */
        @WithDefault("" + FailFast.DEFAULT_FIRST_REQUESTS)
        int failFast();

        /**
         * Before each run's first measured request, the client's own hot path (HTTP, TLS, framers, decoders, records)
         * is warmed against a throwaway in-process simulator for at most this long, so that the first run after a
         * start does not read TTFT high; nothing of it is recorded, counted in the metrics or stored. 0s: no warm-up.
         * As the CLI's {@code --self-warm}.
         */
        @WithDefault(RunEngine.DEFAULT_SELF_WARM)
        Duration selfWarm();

        /** Whether the read endpoints (GET /api/…, the page) and /q/metrics need the bearer token too. */
        @WithDefault("false")
        boolean readRequiresToken();

        /**
         * Credentials that a benchmark posted to {@code POST /api/runs} may use, by name: {@code api-key:
         * ${credential:NAME}} (or access-token). A posted benchmark reads no environment variable or file of this
         * host, so these are the only credentials it can reach, and only for each one's hosts.
         */
        Map<String, Credential> credentials();

        /**
         * Hosts a posted benchmark's targets may reach ({@code api.openai.com}, {@code *.openai.azure.com}); unset:
         * any host except link-local and cloud metadata addresses, which are never allowed.
         */
        Optional<List<String>> allowedHosts();
    }

    /** A named credential: its value, inline (e.g. {@code ${OPENAI_API_KEY}}) or from a file, and its hosts. */
    interface Credential {
        /** The credential itself, e.g. {@code ${OPENAI_API_KEY}} to take it from this process's environment. */
        Optional<String> value();

        /** A file that holds the credential (a mounted secret), read at each use. */
        Optional<Path> file();

        /** The hosts it may be sent to (patterns as in allowed-hosts); unset: any allowed host. */
        Optional<List<String>> hosts();
    }

    interface Api {
        /** Accepted bearer tokens. */
        Optional<List<String>> tokens();

        /** A file whose non-blank lines are accepted tokens (a mounted secret). */
        Optional<Path> tokenFile();
    }

    interface Probe {
        /** This instance's name in the history (runs it makes, runs it publishes). */
        @WithDefault("local")
        String name();

        /** Where it runs (a cloud region), shown beside its runs. */
        Optional<String> region();
    }

    interface Publish {
        /**
         * A central service's API URL (https://central.example/api): every run this instance finishes is sent
         * there too (a probe). {@code run --publish URL} and {@code publish DIR --to URL} take it as default.
         */
        Optional<URI> url();
    }

    interface Retention {
        /** Runs older than this are deleted after each stored run. */
        Optional<Duration> maxAge();

        /** Only the newest this many runs are kept (0: no limit). */
        @WithDefault("0")
        int maxRuns();
    }
}
