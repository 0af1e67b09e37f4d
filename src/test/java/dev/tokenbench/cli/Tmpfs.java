package dev.tokenbench.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test, to fill the disk for real: only where the test runs as root and
 * {@code mount -t tmpfs} works, otherwise the test is skipped with a message. Unmounted by {@link #close()}.
 */
public final class Tmpfs implements AutoCloseable {
    /** Fast requests with the simulator in the process: ~1 KiB records, a 1 MiB tmpfs is full after ~1,000. */
    public static final String FILLS_A_MEGABYTE = """
            name: fill
            targets: [{name: x, api: openai-chat, base-url: 'sim://fast/v1', model: m}]
            prompts: {synthetic: {input-tokens: 10, output-tokens: 5, count: 3}}
            load: {mode: closed, concurrency: 8, requests: 100000, warmup: 0}
            simulator:
              scenarios:
                fast: {ttft: 1ms, tokens-per-second: 5000, output-tokens: 20}
            """;
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 1m}) on {@code dir}, or skips the test saying why it cannot. */
    public static Tmpfs mount(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        String why;
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            boolean ended = mount.waitFor(30, TimeUnit.SECONDS);
            why = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (ended && mount.exitValue() == 0) {
                return new Tmpfs(dir);
            }
            mount.destroyForcibly();
        } catch (IOException e) {
            why = e.getMessage();
        }
        Assumptions.abort("skipped: this test fills a tmpfs of " + size + " that it mounts itself, which needs root "
                + "and `mount -t tmpfs` (" + why + ")");
        return null;
    }

    /** Writes {@code name} until the tmpfs has no space left: the next write of anyone there fails. */
    public void fill(String name) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Override
    public void close() throws Exception {
        Process umount = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
        if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            // Still busy (a child process that did not end): detach it now, it goes once the last user does.
            new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
