package dev.tokenbench.output;

import dev.tokenbench.store.HistoryStore;
import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.StoreException;
import dev.tokenbench.store.StoredRun;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * The CLI's history: each finished run is stored with no set-up; a store that cannot be written is said on stderr
 * and the run stands (its directory has everything). {@link ServiceHistory} is the service's, which keeps a run it
 * could not store to try again.
 */
public final class HistoryOutput implements RunOutput {
    private static final Logger LOG = Logger.getLogger(HistoryOutput.class);

    private final HistoryStores stores;
    private final String probe;
    private final String region;
    private final Retention retention;
    private final PrintWriter err;

    /**
     * @param probe  the probe the run is stored as
     * @param region the probe's region ("" when none)
     */
    public HistoryOutput(HistoryStores stores, String probe, String region, Retention retention, PrintWriter err) {
        this.stores = stores;
        this.probe = probe;
        this.region = region;
        this.retention = retention;
        this.err = err;
    }

    @Override
    public void finish(FinishedRun run) {
        try {
            save(stores.store(), stored(run, probe, region), retention);
        } catch (IOException | RuntimeException e) {
            err.println("tokenbench: the run was not stored in history (" + e.getMessage() + "); its directory "
                    + "has everything");
            err.flush();
        }
    }

    /** The run as the store keeps it, from its in-memory run.json and its requests.jsonl. */
    static StoredRun stored(FinishedRun run, String probe, String region) throws IOException {
        return StoredRun.fromRunJson(run.runJson(), StoredRun.records(run.result().runDir()), run.result().runId(),
                probe, region);
    }

    /**
     * Saves the run, then applies the retention; a retention that fails is logged and tried again after the next
     * stored run.
     *
     * @throws StoreException when the store cannot take the run
     */
    static void save(HistoryStore store, StoredRun run, Retention retention) {
        store.save(run);
        if (retention.prunes()) {
            try {
                int deleted = store.prune(retention.cutOff(Instant.now()), retention.maxRuns());
                if (deleted > 0) {
                    LOG.infof("retention: deleted %d old runs", deleted);
                }
            } catch (StoreException e) {
                LOG.warnf("retention: old runs not deleted this time (%s)", e.getMessage());
            }
        }
    }
}
