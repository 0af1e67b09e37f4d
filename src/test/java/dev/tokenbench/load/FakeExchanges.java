package dev.tokenbench.load;

import dev.tokenbench.measure.Outcome;
import dev.tokenbench.measure.RequestMeasurement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Exchanges on one thread: lanes are labels, {@link #execute} and {@link #schedule} queue their task, and a sent
 * request ends when the test says (or at once). {@link #runAll} plays the queue out, as an event loop would.
 */
final class FakeExchanges implements Exchanges {
    record Sent(int lane, int step, long sequence, long intendedNanos) {
    }

    private final int lanes;
    private final int home;
    private final boolean[] canSend;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    final List<Sent> sent = new ArrayList<>();
    final List<Runnable> inFlight = new ArrayList<>();
    final List<int[]> notStarted = new ArrayList<>();
    /** The delays asked of {@link #schedule}, in order. */
    final List<Long> scheduledDelaysNanos = new ArrayList<>();
    /** The prompt index of each request claimed with {@link #claimPrompt}, in order. */
    final List<Integer> claimedPrompts = new ArrayList<>();
    /** Claims after which the budget refuses; -1: never. */
    int budgetClaims = -1;
    boolean halted;
    boolean endAtOnce = true;
    private long nextSequence;
    private int claims;

    FakeExchanges(int lanes, int home, boolean... canSend) {
        this.lanes = lanes;
        this.home = home;
        this.canSend = canSend;
    }

    @Override
    public int lanes() {
        return lanes;
    }

    @Override
    public int homeLane() {
        return home;
    }

    @Override
    public boolean canSend(int lane) {
        return canSend.length == 0 || canSend[lane];
    }

    @Override
    public void execute(int lane, Runnable task) {
        tasks.add(task);
    }

    @Override
    public void schedule(int lane, long delayNanos, Runnable task) {
        scheduledDelaysNanos.add(delayNanos);
        tasks.add(task);
    }

    @Override
    public boolean halted() {
        return halted || (budgetClaims >= 0 && claims > budgetClaims);
    }

    @Override
    public RequestMeasurement claim(int step) {
        long sequence = nextSequence++;
        if (budgetClaims >= 0 && ++claims > budgetClaims) {
            return null;
        }
        RequestMeasurement m = new RequestMeasurement("r" + sequence, 0, sequence, step < 0, "p", null);
        m.step = Math.max(0, step);
        return m;
    }

    @Override
    public RequestMeasurement claimPrompt(int step, int promptIndex) {
        RequestMeasurement m = claim(step);
        if (m != null) {
            m.promptIndex = promptIndex;
            claimedPrompts.add(promptIndex);
        }
        return m;
    }

    @Override
    public void send(int lane, RequestMeasurement request, Runnable whenDone) {
        if (!canSend(lane)) {
            throw new AssertionError("sent on lane " + lane + ", which has no client");
        }
        sent.add(new Sent(lane, request.step, request.sequence, request.intendedStartNanos));
        Runnable end = () -> {
            request.finish(Outcome.OK, null, System.nanoTime());
            whenDone.run();
        };
        if (endAtOnce) {
            tasks.add(end);
        } else {
            inFlight.add(end);
        }
    }

    @Override
    public void notStarted(int step, int count) {
        notStarted.add(new int[] {step, count});
    }

    /** Runs queued tasks until none is left (or {@code max} ran: a driver that never stops fails the test). */
    void runAll(int max) {
        int ran = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            if (++ran > max) {
                throw new AssertionError("more than " + max + " tasks: the driver does not stop");
            }
            task.run();
        }
    }
}
