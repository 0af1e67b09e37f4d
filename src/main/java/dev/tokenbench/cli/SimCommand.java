package dev.tokenbench.cli;

import dev.tokenbench.config.ConfigException;
import dev.tokenbench.config.RunPlan;
import dev.tokenbench.provider.ProviderRegistry;
import dev.tokenbench.sim.SimConfig;
import dev.tokenbench.sim.SimTls;
import dev.tokenbench.sim.Simulator;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "sim", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Serves the built-in simulated provider until stopped (Ctrl-C).",
        "Scenarios come from a benchmark file's simulator block (default: the bundled demo's); it speaks every "
                + "supported API, and a target reaches scenario S at http://HOST:PORT/S/<the API's own path>."})
public class SimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--config", paramLabel = "FILE", description = "A benchmark file whose simulator block to serve.")
    Path config;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Append one JSON line per finished request: when each event was written (the truth "
                    + "that accuracy benchmarks compare against).")
    Path log;

    @Option(names = "--tls", description = "Serve https, offering h2 and HTTP/1.1 through ALPN, with a self-signed "
            + "certificate made at start (for localhost, 127.0.0.1 and ::1) unless --tls-cert and --tls-key give one.")
    boolean tlsOn;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "The certificate chain to serve (PEM); implies --tls.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Its private key (PEM, unencrypted).")
    Path tlsKey;

    @Option(names = "--tls-cert-out", paramLabel = "FILE",
            description = "Write the certificate served (PEM), for a client's ca-file.")
    Path tlsCertOut;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Require client certificates (mTLS) issued by one of these (PEM); implies --tls.")
    Path tlsClientCa;

    private final Vertx vertx;

    public SimCommand(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunPlan plan;
        try {
            plan = PlanLoading.load(config, ProviderRegistry.defaults());
        } catch (ConfigException e) {
            return PlanLoading.reportErrors(e, spec.commandLine().getErr());
        }
        SimConfig simConfig = plan.simulator();
        if (simConfig == null) {
            spec.commandLine().getErr().println("tokenbench: " + plan.sourceFile()
                    + " has no simulator block and no sim:// target; add simulator: {scenarios: {…}}");
            return ExitCodes.BAD_INPUT;
        }
        SimTls tls;
        try {
            tls = tls();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("tokenbench: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Simulator simulator = Simulator.start(vertx, simConfig, host, port, ProviderRegistry.defaults().simApis(), tls)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (log != null) {
            simulator.log().startJsonl(log);
        }
        String scheme = simulator.scheme();
        out.printf("simulator listening on %s://%s:%d%s%n", scheme, host, simulator.port(), tls == null ? ""
                : " (h2 and HTTP/1.1 through ALPN" + (tls.clientCaPem() == null ? "" : ", client certificates "
                + "required") + (tlsCertOut == null ? "" : "; certificate in " + tlsCertOut) + ")");
        for (String scenario : simConfig.scenarios().keySet()) {
            out.printf("  %-20s base-url %s://%s:%d/%s (then the API's own path: /v1 for OpenAI-style bases)%n",
                    scenario, scheme, host, simulator.port(), scenario);
        }
        out.flush();
        Quarkus.waitForExit();
        simulator.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return ExitCodes.OK;
    }

    /** The TLS options as given, or null for plaintext; a missing or unreadable file is a usage error. */
    private SimTls tls() throws IOException {
        if (!tlsOn && tlsCert == null && tlsKey == null && tlsClientCa == null) {
            if (tlsCertOut != null) {
                throw new IllegalArgumentException("--tls-cert-out needs --tls: there is no certificate to write");
            }
            return null;
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both, or neither for a "
                    + "self-signed certificate");
        }
        SimTls tls = tlsCert == null ? SimTls.selfSigned()
                : new SimTls(readPem(tlsCert, "--tls-cert"), readPem(tlsKey, "--tls-key"), null);
        if (tlsClientCa != null) {
            tls = tls.requiringClientCertificates(readPem(tlsClientCa, "--tls-client-ca"));
        }
        if (tlsCertOut != null) {
            Files.writeString(tlsCertOut, tls.certificatePem(), StandardCharsets.US_ASCII);
        }
        return tls;
    }

    private static String readPem(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getClass().getSimpleName()
                    + "); give a readable PEM file");
        }
    }
}
