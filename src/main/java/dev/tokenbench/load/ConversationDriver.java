package dev.tokenbench.load;

import dev.tokenbench.config.Conversations;
import dev.tokenbench.config.LoadSpec;
import dev.tokenbench.measure.RequestMeasurement;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * The closed loop over conversations: {@code workers} conversations in flight, each worker sending one
 * conversation's turns one after another (a turn starts when the previous turn's response has ended plus the think
 * time), then the next conversation, until {@code totalTurns} turns are taken, the deadline passes, or the run
 * halts. {@code requests} counts turns: a conversation takes all its turns from that count when it begins, so
 * conversations are sent whole while the count lasts and only the last one begun can be cut short. Worker
 * {@code w} runs on lane {@code (home + w) % lanes}, as in {@link ClosedLoopDriver}.
 */
public final class ConversationDriver implements LoadDriver {
    private final Exchanges exchanges;
    private final int step;
    private final int totalTurns;
    private final int workers;
    private final long deadlineNanos;
    private final Conversations conversations;
    private final long thinkNanos;
    private LongUnaryOperator conversationIndex = LongUnaryOperator.identity();
    private final AtomicLong conversationsBegun = new AtomicLong();
    /** Turns taken from {@code totalTurns} by the conversations begun. */
    private final AtomicLong taken = new AtomicLong();
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicInteger activeWorkers;
    private final AtomicInteger lateStarts = new AtomicInteger();
    private long startAtNanos = OpenLoopDriver.NOW;
    private Runnable whenDone;

    /**
     * @param totalTurns        turns to send, or {@link LoadSpec#UNBOUNDED} (then the deadline ends the phase)
     * @param deadlineNanos     {@link System#nanoTime()} after which no turn starts, or
     *                          {@link ClosedLoopDriver#NO_DEADLINE}
     */
    public ConversationDriver(Exchanges exchanges, int step, int totalTurns, int workers, long deadlineNanos,
            Conversations conversations) {
        this.exchanges = exchanges;
        this.step = step;
        this.totalTurns = totalTurns;
        this.workers = workers;
        this.deadlineNanos = deadlineNanos;
        this.conversations = conversations;
        this.thinkNanos = conversations.thinkTime().toNanos();
        this.activeWorkers = new AtomicInteger(workers);
    }

    /** Every worker begins its first conversation at {@code phaseStartNanos}, as {@link ClosedLoopDriver}'s do. */
    public ConversationDriver startingAt(long phaseStartNanos) {
        this.startAtNanos = phaseStartNanos;
        return this;
    }

    /**
     * Which conversation (before wrapping round the set) the n-th one this driver begins is: by default the n-th,
     * for a shard its share of the run's.
     */
    public ConversationDriver sharded(LongUnaryOperator conversationIndex) {
        this.conversationIndex = conversationIndex;
        return this;
    }

    @Override
    public void start(Runnable whenDone) {
        this.whenDone = whenDone;
        if (totalTurns == 0 || workers == 0 || conversations.conversations().isEmpty()) {
            whenDone.run();
            return;
        }
        for (int w = 0; w < workers; w++) {
            int lane = ClosedLoopDriver.laneOf(w, exchanges.homeLane(), exchanges.lanes());
            if (startAtNanos == OpenLoopDriver.NOW) {
                exchanges.execute(lane, () -> nextConversation(lane));
            } else {
                exchanges.schedule(lane, Math.max(0, startAtNanos - System.nanoTime()), () -> first(lane));
            }
        }
    }

    private void first(int lane) {
        if (System.nanoTime() - startAtNanos >= OpenLoopDispatcher.LATE_THRESHOLD_NANOS) {
            lateStarts.incrementAndGet();
        }
        nextConversation(lane);
    }

    private void nextConversation(int lane) {
        if (exchanges.halted()) {
            workerDone();
            return;
        }
        long n = conversationIndex.applyAsLong(conversationsBegun.getAndIncrement());
        int size = conversations.conversations().size();
        Conversations.Conversation conversation = conversations.conversations().get((int) Math.floorMod(n,
                (long) size));
        long before = taken.getAndAccumulate(conversation.turns(), (had, turns) -> Math.min(totalTurns, had + turns));
        int turns = (int) Math.min(conversation.turns(), totalTurns - before);
        if (turns <= 0) {
            workerDone();
            return;
        }
        turn(lane, conversation, 1, turns);
    }

    /** On the worker's lane: turn {@code turn} of {@code conversation}'s first {@code turns}, or the worker's end. */
    private void turn(int lane, Conversations.Conversation conversation, int turn, int turns) {
        boolean over = exchanges.halted()
                || (deadlineNanos != ClosedLoopDriver.NO_DEADLINE && System.nanoTime() >= deadlineNanos);
        RequestMeasurement request = over ? null
                : exchanges.claimPrompt(step, conversation.firstPrompt() + turn - 1);
        if (request == null) {
            workerDone();
            return;
        }
        launched.incrementAndGet();
        exchanges.send(lane, request, () -> afterTurn(lane, conversation, turn, turns));
    }

    private void afterTurn(int lane, Conversations.Conversation conversation, int turn, int turns) {
        if (turn >= turns) {
            nextConversation(lane);
        } else if (thinkNanos > 0 && !exchanges.halted()) {
            exchanges.schedule(lane, thinkNanos, () -> turn(lane, conversation, turn + 1, turns));
        } else {
            turn(lane, conversation, turn + 1, turns);
        }
    }

    private void workerDone() {
        if (activeWorkers.decrementAndGet() == 0) {
            exchanges.notStarted(step, totalTurns == LoadSpec.UNBOUNDED ? 0 : totalTurns - launched.get());
            whenDone.run();
        }
    }

    @Override
    public int lateStarts() {
        return lateStarts.get();
    }
}
