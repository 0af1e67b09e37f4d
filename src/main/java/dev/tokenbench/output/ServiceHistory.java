package dev.tokenbench.output;

import dev.tokenbench.store.HistoryStores;
import dev.tokenbench.store.RunInfo;
import dev.tokenbench.store.StoreException;
import dev.tokenbench.store.StoredRun;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's history: each of its finished runs is stored with this probe's name and region, then the retention
 * is applied. A store fault never fails the run: its directory under the data directory has everything, and holds
 * {@value #NOT_IN_HISTORY} until the store has it (written first, so a crash before the store answered leaves it
 * too). Such a run stays {@code done} in {@code GET /api/runs/{id}}, with a note, and is stored with the next stored
 * run or at the next start.
 */
public final class ServiceHistory implements RunOutput {
    private static final Logger LOG = Logger.getLogger(ServiceHistory.class);
    /** In a run's directory: the run is not in the history store yet. */
    public static final String NOT_IN_HISTORY = ".not-in-history";

    private final HistoryStores stores;
    private final Path runsDir;
    private final String probe;
    private final String region;
    private final Retention retention;
    /** Finished runs whose directory is marked {@value #NOT_IN_HISTORY}, by id: what the list shows of them. */
    private final Map<String, RunInfo> notInHistory = new ConcurrentHashMap<>();

    /**
     * @param runsDir where the service's run directories are, one per run id
     * @param region  the probe's region ("" when none)
     */
    public ServiceHistory(HistoryStores stores, Path runsDir, String probe, String region, Retention retention) {
        this.stores = stores;
        this.runsDir = runsDir;
        this.probe = probe;
        this.region = region;
        this.retention = retention;
    }

    @Override
    public void finish(FinishedRun run) throws IOException {
        store(HistoryOutput.stored(run, probe, region));
    }

    /** Stores one of the service's own finished runs (see the class comment for a store fault). */
    private void store(StoredRun run) {
        Path marker = runDirectory(run.id()).resolve(NOT_IN_HISTORY);
        try {
            Files.writeString(marker, "this run is not in the history store yet: serve stores it when the store "
                    + "answers\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("run %s: cannot mark its directory as not yet in history (%s)", run.id(), e.getMessage());
        }
        try {
            HistoryOutput.save(stores.store(), run, retention);
        } catch (StoreException e) {
            notInHistory.put(run.id(), run.info());
            LOG.warnf("run %s is %s but not in history yet (%s); its directory %s has everything and it is stored "
                    + "with the next run or at the next start", run.id(), run.status(), e.getMessage(),
                    runDirectory(run.id()));
            return;
        }
        stored(run.id());
        storeNotInHistory();
    }

    /**
     * A run imported from another probe: it has no run directory here, so a store fault goes to the caller.
     *
     * @throws StoreException when the store cannot take it
     */
    public void storeImported(StoredRun run) {
        HistoryOutput.save(stores.store(), run, retention);
    }

    private void stored(String id) {
        notInHistory.remove(id);
        try {
            Files.deleteIfExists(runDirectory(id).resolve(NOT_IN_HISTORY));
        } catch (IOException e) {
            LOG.warnf("run %s is stored, but %s stays in its directory (%s)", id, NOT_IN_HISTORY, e.getMessage());
        }
    }

    /**
     * At start: finds the run directories marked {@value #NOT_IN_HISTORY} (a store fault or a crash before storing)
     * and stores them. Only marked ones: a directory whose run retention deleted from the store stays deleted.
     */
    public void storeLeftOutRuns() {
        if (!Files.isDirectory(runsDir)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runsDir)) {
            for (Path dir : dirs) {
                if (Files.isRegularFile(dir.resolve(NOT_IN_HISTORY)) && Files.isRegularFile(dir.resolve("run.json"))) {
                    String id = dir.getFileName().toString();
                    read(id).ifPresent(run -> notInHistory.put(id, run.info()));
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot look for runs not yet in history in %s (%s)", runsDir, e.getMessage());
            return;
        }
        if (!notInHistory.isEmpty()) {
            LOG.infof("%d runs are not in history yet: storing them", notInHistory.size());
            storeNotInHistory();
        }
    }

    /** Stores the runs left out earlier, oldest id first; stops at the first store fault (tried again later). */
    private void storeNotInHistory() {
        synchronized (notInHistory) {
            for (String id : new TreeSet<>(notInHistory.keySet())) {
                Optional<StoredRun> run = read(id);
                if (run.isEmpty()) {
                    notInHistory.remove(id);
                    continue;
                }
                try {
                    HistoryOutput.save(stores.store(), run.get(), retention);
                } catch (StoreException e) {
                    LOG.warnf("runs not in history yet stay so for now: %s", e.getMessage());
                    return;
                }
                stored(id);
                LOG.infof("run %s is stored in history now", id);
            }
        }
    }

    /**
     * A finished run that is not in the history store yet (a store fault), read from its directory; empty for any
     * other run.
     */
    public Optional<StoredRun> notInHistory(String id) {
        return notInHistory.containsKey(id) ? read(id) : Optional.empty();
    }

    /** The runs {@link #notInHistory} knows, as the list shows them. */
    public List<RunInfo> runsNotInHistory() {
        return new ArrayList<>(notInHistory.values());
    }

    /** A run left out earlier, read back from its directory: the run it was written by is long gone. */
    private Optional<StoredRun> read(String id) {
        try {
            return Optional.of(StoredRun.fromDirectory(runDirectory(id), id, probe, region));
        } catch (IOException | RuntimeException e) {
            LOG.errorf("run %s cannot be stored: its directory %s cannot be read (%s)", id, runDirectory(id),
                    e.getMessage());
            return Optional.empty();
        }
    }

    public Path runDirectory(String id) {
        return runsDir.resolve(id);
    }
}
