package dev.tokenbench.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application (target/quarkus-app) started as its own process: {@code serve} instances and CLI
 * commands, on loopback, each bounded in time and stopped by its PID.
 */
final class ServiceProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private final Process process;
    final int port;
    final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<String> command(Map<String, String> properties, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-Dquarkus.http.host=127.0.0.1");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code serve} and waits (at most 60 s) until it is ready. */
    static ServiceProcess serve(Path workDir, Map<String, String> properties, Map<String, String> env)
            throws Exception {
        int port = freePort();
        Path log = workDir.resolve("serve-" + port + ".log");
        java.nio.file.Files.createDirectories(workDir);
        ProcessBuilder pb = new ProcessBuilder(command(properties, "serve", "--port", Integer.toString(port)))
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        ServiceProcess service = new ServiceProcess(pb.start(), port, log);
        ServiceClient client = service.client();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.process.isAlive()) {
                throw new AssertionError("serve exited: " + java.nio.file.Files.readString(log));
            }
            try {
                if (client.get("/q/health/ready", null).statusCode() == 200) {
                    return service;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        service.close();
        throw new AssertionError("serve was not ready within 60 s: " + java.nio.file.Files.readString(log));
    }

    /** Runs a CLI command to its end (at most 120 s): exit code and output. */
    static Result cli(Path workDir, Map<String, String> properties, Map<String, String> env, String... args)
            throws Exception {
        java.nio.file.Files.createDirectories(workDir);
        Path out = workDir.resolve("cli-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command(properties, args)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tokenbench " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), java.nio.file.Files.readString(out));
    }

    record Result(int exitCode, String output) {
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    String apiUrl() {
        return "http://127.0.0.1:" + port + "/api";
    }

    ServiceClient client() {
        return new ServiceClient(base());
    }

    /** SIGTERM, then waits (at most 40 s) for the process to end by itself: its exit code (143 after SIGTERM). */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("serve did not stop within 40 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
