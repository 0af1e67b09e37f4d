package dev.tokenbench.wire;

import static dev.tokenbench.wire.SseTestSupport.Event;
import static dev.tokenbench.wire.SseTestSupport.FeedResult;
import static dev.tokenbench.wire.SseTestSupport.RecordingHandler;
import static dev.tokenbench.wire.SseTestSupport.ReferenceResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden streams under {@code streams/sse/}: each {@code NAME.sse} is a body as it comes off the wire and
 * {@code NAME.expected.jsonl} lists its events (written by hand, UTF-8 text) and whether the body ends
 * inside an event. Every stream is replayed whole, split at every byte offset into two reads, one byte per
 * read, and in seeded random splits; the events and their read stamps must be the same every time.
 */
class SseFramerGoldenTest {

    private static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;
    private static final int RANDOM_SPLITS_PER_STREAM = 300;

    record Golden(String name, byte[] body, List<Event> expectedEvents, boolean incompleteEventAtEnd) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Golden> goldens() throws IOException, URISyntaxException {
        URL dir = SseFramerGoldenTest.class.getClassLoader().getResource("streams/sse");
        assertTrue(dir != null, "streams/sse is on the test classpath");
        List<Golden> goldens = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path sse : files.filter(p -> p.getFileName().toString().endsWith(".sse")).sorted().toList()) {
                String name = sse.getFileName().toString().replaceFirst("\\.sse$", "");
                Path expectedFile = sse.resolveSibling(name + ".expected.jsonl");
                List<Event> events = new ArrayList<>();
                Boolean incomplete = null;
                for (String line : Files.readAllLines(expectedFile, StandardCharsets.UTF_8)) {
                    JsonNode node = mapper.readTree(line);
                    if (node.has("incompleteEventAtEnd")) {
                        incomplete = node.get("incompleteEventAtEnd").booleanValue();
                    } else {
                        events.add(Event.utf8(node.get("event").textValue(), node.get("data").textValue(), 0));
                    }
                }
                assertTrue(incomplete != null, name + ": expected file ends with incompleteEventAtEnd");
                goldens.add(new Golden(name, Files.readAllBytes(sse), events, incomplete));
            }
        }
        return goldens.stream();
    }

    @Test
    void goldenStreamsArePresent() throws Exception {
        assertTrue(goldens().count() >= 10, "the golden streams are on the classpath");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void referenceParserAgreesWithTheHandWrittenExpectation(Golden golden) {
        ReferenceResult reference = SseTestSupport.referenceParse(golden.body());
        assertEquals(golden.expectedEvents(), SseTestSupport.withoutArrivals(reference.eventsAtByteIndex()));
        assertEquals(golden.incompleteEventAtEnd(), reference.incompleteEventAtEnd());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void wholeBodyInOneRead(Golden golden) {
        assertReplay(golden, new int[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void splitAtEveryByteOffsetIntoTwoReads(Golden golden) {
        for (int cut = 0; cut <= golden.body().length; cut++) {
            assertReplay(golden, new int[] {cut});
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void oneByteAtATime(Golden golden) {
        assertReplay(golden, SseTestSupport.everyByte(golden.body().length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void seededRandomSplits(Golden golden) {
        Random random = new Random(0x5EEDL ^ golden.name().hashCode());
        for (int i = 0; i < RANDOM_SPLITS_PER_STREAM; i++) {
            assertReplay(golden, SseTestSupport.randomCuts(random, golden.body().length, 12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void oneFramerReusedAcrossReplaysGivesTheSameEvents(Golden golden) {
        RecordingHandler handler = new RecordingHandler();
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        for (int round = 0; round < 3; round++) {
            FeedResult result = SseTestSupport.feedInReads(framer, handler, golden.body(), new int[0]);
            assertEquals(golden.expectedEvents(), SseTestSupport.withoutArrivals(result.events()));
        }
        // Abandon a stream halfway, reset, and the next stream is framed from a clean state.
        int half = golden.body().length / 2;
        framer.feed(golden.body(), 0, half, 1);
        framer.reset();
        handler.events.clear();
        FeedResult result = SseTestSupport.feedInReads(framer, handler, golden.body(), new int[0]);
        assertEquals(golden.expectedEvents(), SseTestSupport.withoutArrivals(result.events()));
    }

    private static void assertReplay(Golden golden, int[] cuts) {
        RecordingHandler handler = new RecordingHandler();
        SseFramer framer = new SseFramer(handler, MAX_EVENT_BYTES);
        FeedResult result = SseTestSupport.feedInReads(framer, handler, golden.body(), cuts);
        String where = golden.name() + " cut at " + java.util.Arrays.toString(cuts);
        assertEquals(golden.expectedEvents(), SseTestSupport.withoutArrivals(result.events()), where);
        // Each event carries the stamp of the read holding the byte that completed it (its blank line's end).
        ReferenceResult reference = SseTestSupport.referenceParse(golden.body());
        assertEquals(SseTestSupport.expectedForCuts(reference, cuts), result.events(), where);
        assertEquals(golden.incompleteEventAtEnd(), result.incompleteEventAtEnd(), where);
        assertTrue(result.oversizeArrivalNanos().isEmpty(), where);
        assertEquals(0, framer.heldBytes(), where + ": end() leaves nothing held");
    }
}
