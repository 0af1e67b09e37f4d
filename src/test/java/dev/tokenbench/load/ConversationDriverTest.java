package dev.tokenbench.load;

import dev.tokenbench.config.Conversations;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Turn sequencing on one thread: order, no overlap within a conversation, think time, and what requests counts. */
class ConversationDriverTest {
    /** Conversation a: prompts 0..2; b: prompts 3..4. */
    private static final Conversations TWO = new Conversations(List.of(new Conversations.Conversation("a", 0, 3),
            new Conversations.Conversation("b", 3, 2)), Duration.ofMillis(750));

    @Test
    void oneWorkerSendsEachConversationsTurnsInOrderWithTheThinkTimeBetween() {
        FakeExchanges ex = new FakeExchanges(1, 0);
        boolean[] done = {false};
        new ConversationDriver(ex, 0, 7, 1, ClosedLoopDriver.NO_DEADLINE, TWO)
                .start(() -> done[0] = true);
        ex.runAll(1000);
        assertTrue(done[0]);
        // requests counts turns: a (3), b (2), then a again, cut short after 2 turns.
        assertEquals(List.of(0, 1, 2, 3, 4, 0, 1), ex.claimedPrompts);
        // A think time before every turn but a conversation's first: 2 in a, 1 in b, 1 in the second a.
        assertEquals(List.of(750_000_000L, 750_000_000L, 750_000_000L, 750_000_000L), ex.scheduledDelaysNanos);
    }

    @Test
    void aConversationsNextTurnWaitsForThePreviousResponseToEnd() {
        FakeExchanges ex = new FakeExchanges(2, 0);
        ex.endAtOnce = false;
        new ConversationDriver(ex, 0, 5, 2, ClosedLoopDriver.NO_DEADLINE, TWO)
                .start(() -> { });
        ex.runAll(100);
        // Two conversations in flight, one turn each: turn 1 of a and of b.
        assertEquals(List.of(0, 3), ex.claimedPrompts);
        List<Runnable> ends = new ArrayList<>(ex.inFlight);
        ex.inFlight.clear();
        ex.runAll(100);
        assertEquals(List.of(0, 3), ex.claimedPrompts, "no turn starts before its previous turn has ended");
        ends.get(1).run(); // b's turn 1 ends
        ex.runAll(100);
        assertEquals(List.of(0, 3, 4), ex.claimedPrompts);
        ends.get(0).run(); // a's turn 1 ends
        ex.runAll(100);
        assertEquals(List.of(0, 3, 4, 1), ex.claimedPrompts);
    }

    @Test
    void aShardBeginsItsOwnShareOfTheConversations() {
        FakeExchanges ex = new FakeExchanges(1, 0);
        Conversations three = new Conversations(List.of(new Conversations.Conversation("a", 0, 1),
                new Conversations.Conversation("b", 1, 1), new Conversations.Conversation("c", 2, 1)), Duration.ZERO);
        new ConversationDriver(ex, 0, 3, 1, ClosedLoopDriver.NO_DEADLINE, three).sharded(n -> 1 + 2 * n)
                .start(() -> { });
        ex.runAll(100);
        assertEquals(List.of(1, 0, 2), ex.claimedPrompts);
        assertEquals(List.of(), ex.scheduledDelaysNanos);
    }
}
