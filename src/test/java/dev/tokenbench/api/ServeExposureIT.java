package dev.tokenbench.api;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code serve} exposes, as shipped (the packaged jar, its own process, no host setting): it listens on
 * loopback only unless --host opens it, and with read-requires-token its /q/metrics needs the token while
 * /q/health stays open for probes.
 */
@Timeout(180)
class ServeExposureIT {
    private static final String TOKEN = "exposure-token-5150";
    private static final String LISTEN = "0A";

    @TempDir
    Path dir;

    @Test
    void withoutAHostSettingServeListensOnLoopbackOnlyAndItsMetricsNeedTheToken() throws Exception {
        int port = ServiceProcess.freePort();
        Process serve = start(port);
        try {
            ServiceClient client = awaitReady(serve, port);
            List<String> listening = listeningAddresses(port);
            assertEquals(List.of("127.0.0.1"), listening, "serve's listening sockets on port " + port);
            Optional<InetAddress> external = nonLoopbackAddress();
            if (external.isPresent()) {
                try (Socket s = new Socket()) {
                    assertThrows(ConnectException.class,
                            () -> s.connect(new InetSocketAddress(external.get(), port), 2_000),
                            "not reachable on " + external.get());
                }
            } else {
                System.out.println("ServeExposureIT: this machine has no non-loopback IPv4 address; checked the "
                        + "listening socket only");
            }

            for (String token : new String[] {null, "wrong-token-0000"}) {
                HttpResponse<String> denied = client.get("/q/metrics", token);
                assertEquals(401, denied.statusCode(), "token " + token + ": " + denied.body());
                assertTrue(ServiceClient.json(denied).path("error").asText().contains("bearer token"), denied.body());
                assertTrue(!denied.body().contains("tokenbench_") && !denied.body().contains("jvm_"), denied.body());
            }
            HttpResponse<String> scraped = client.get("/q/metrics", TOKEN);
            assertEquals(200, scraped.statusCode(), scraped.body());
            assertTrue(scraped.body().contains("# TYPE"), "a Prometheus exposition");
            assertEquals(200, client.get("/q/health/ready", null).statusCode(), "health stays open for probes");
            assertEquals(401, client.get("/api/runs", null).statusCode(), "reads need the token too");
        } finally {
            stop(serve);
        }
    }

    @Test
    void hostZeroOpensEveryInterface() throws Exception {
        int port = ServiceProcess.freePort();
        Process serve = start(port, "--host", "0.0.0.0");
        try {
            awaitReady(serve, port);
            assertEquals(List.of("0.0.0.0"), listeningAddresses(port));
        } finally {
            stop(serve);
        }
    }

    private Process start(int port, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-Dtokenbench.api.tokens=" + TOKEN, "-Dtokenbench.serve.read-requires-token=true",
                "-Dtokenbench.store.data-dir=" + dir.resolve("data-" + port),
                "-jar", ServiceProcess.JAR.toString(), "serve", "--port", Integer.toString(port)));
        Collections.addAll(command, more);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve-" + port + ".log").toFile());
        pb.environment().remove("QUARKUS_HTTP_HOST");
        pb.environment().remove("TOKENBENCH_SERVE_HOST");
        return pb.start();
    }

    private ServiceClient awaitReady(Process serve, int port) throws Exception {
        ServiceClient client = new ServiceClient(URI.create("http://127.0.0.1:" + port + "/"));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!serve.isAlive()) {
                throw new AssertionError("serve exited: " + Files.readString(dir.resolve("serve-" + port + ".log")));
            }
            try {
                if (client.get("/q/health/ready", null).statusCode() == 200) {
                    return client;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("serve was not ready within 90 s: "
                + Files.readString(dir.resolve("serve-" + port + ".log")));
    }

    private static void stop(Process serve) throws InterruptedException {
        serve.destroy();
        if (!serve.waitFor(30, TimeUnit.SECONDS)) {
            serve.destroyForcibly();
            serve.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The local addresses of the sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
    private static List<String> listeningAddresses(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                    addresses.add(address(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return addresses;
    }

    /** /proc/net's hex address (each 32-bit word in host order, little-endian here) as text; any address: 0.0.0.0. */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes); // ::ffff:127.0.0.1 (an IPv6 socket) reads 127.0.0.1
        return address.isAnyLocalAddress() ? "0.0.0.0" : address.getHostAddress();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
