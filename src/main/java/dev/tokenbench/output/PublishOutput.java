package dev.tokenbench.output;

import dev.tokenbench.publish.Publisher;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Sends the finished run to a central service ({@link Publisher}). A run that cannot be published stays where it
 * is, and {@code publish DIR} sends it later: the run's own result stands.
 */
public final class PublishOutput {
    private static final Logger LOG = Logger.getLogger(PublishOutput.class);

    /** How a publish ended, for {@code publish DIR}'s exit code. */
    public enum Outcome {
        PUBLISHED,
        /** The directory holds no finished run. */
        NOT_A_RUN,
        /** The central service did not take it (unreachable, refused, no token). */
        FAILED
    }

    /**
     * Where to and as whom.
     *
     * @param token  the central service's bearer token (null: none, which fails)
     * @param region the probe's region ("" when none)
     */
    public record Destination(URI url, String token, String probe, String region) {
    }

    private PublishOutput() {
    }

    /** The CLI's ({@code run --publish}): what happened is said on out or err. */
    public static RunOutput toTerminal(Destination to, PrintWriter out, PrintWriter err) {
        return run -> say(to, run.result().runDir(), out, err,
                () -> publisher(to).publish(run.runJson(), run.result().runDir(), to.probe(), to.region()));
    }

    /** {@code publish DIR}: a run directory on the disk, said on out or err. */
    public static Outcome publishDirectory(Destination to, Path dir, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        return say(to, dir, out, err, () -> publisher(to).publish(dir, to.probe(), to.region()));
    }

    /**
     * The service's (a probe sends each finished run to the central service): logged; nothing is sent while the
     * service stops.
     */
    public static RunOutput toLog(Destination to, BooleanSupplier stopping) {
        return run -> {
            String id = run.result().runId();
            Path runDir = run.result().runDir();
            if (stopping.getAsBoolean()) {
                LOG.warnf("run %s not published: the service is stopping (./tokenbench publish %s sends it later)",
                        id, runDir);
                return;
            }
            try {
                String stored = publisher(to).publish(run.runJson(), runDir, to.probe(), to.region());
                LOG.infof("run %s published to %s as %s", id, to.url(), stored);
            } catch (Publisher.PublishException | IOException e) {
                LOG.errorf("run %s not published (./tokenbench publish %s sends it later): %s", id, runDir,
                        e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static Publisher publisher(Destination to) {
        return new Publisher(to.url(), to.token());
    }

    private interface Send {
        String send() throws IOException, Publisher.PublishException, InterruptedException;
    }

    private static Outcome say(Destination to, Path dir, PrintWriter out, PrintWriter err, Send send)
            throws InterruptedException {
        try {
            String id = send.send();
            out.printf("published %s to %s as %s%n", dir, to.url(), id);
            out.flush();
            return Outcome.PUBLISHED;
        } catch (IOException e) {
            err.println("tokenbench: " + e.getMessage());
            return Outcome.NOT_A_RUN;
        } catch (Publisher.PublishException e) {
            err.printf("tokenbench: %s; the run stays in %s: ./tokenbench publish %s --to %s sends it later%n",
                    e.getMessage(), dir, dir, to.url());
            return Outcome.FAILED;
        }
    }
}
