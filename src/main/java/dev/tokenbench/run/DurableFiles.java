package dev.tokenbench.run;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole files of a run (plan.json, run.json, the reports) written so that a reader never sees half of one: the
 * content goes to {@code NAME.tmp}, is forced to the disk, and is renamed over {@code NAME}; the directory is
 * then forced so that the rename survives a power loss too. When any step fails the .tmp is removed and a
 * {@link WriteFailure} names the file and the cause; an older {@code NAME} stays as it was.
 */
public final class DurableFiles {
    /** Writes a file's content to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private DurableFiles() {
    }

    public static void replace(Path file, Content content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // Writers such as Jackson close the stream they are given: the channel stays open to be forced.
                OutputStream out = new BufferedOutputStream(new FilterOutputStream(Channels.newOutputStream(channel)) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        this.out.write(bytes, offset, length);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                }, 64 * 1024);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException leftOver) {
                e.addSuppressed(leftOver);
            }
            throw new WriteFailure(file, e);
        }
    }

    /** Makes a rename or a new file in {@code dir} durable; a platform that cannot open a directory skips it. */
    static void forceDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException notOnThisPlatform) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }
}
