package layer45.customizations.echotag;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.testing.ChunkPlan;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.Step;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo tag client in front of an echo server: the wire carries tags, the application sees its own bytes. */
class EchoTagTest {

    private static final FlowSpec ECHO = FlowSpec.tcp().from("127.0.0.1", 50000).to("127.0.0.1", 65432)
            .process("python3");

    private ModuleTester tester;

    @BeforeEach
    void load() {
        tester = ModuleTester.activate(EchoTagClient.class); // its descriptor: remote port 65432, the default tags
    }

    @AfterEach
    void close() {
        tester.close();
    }

    @Test
    void whatTheApplicationSendsIsWrappedInTags() {
        try (TestFlow flow = tester.flow(ECHO)) {
            flow.send("hello").expectOutput("<start>hello<end>").expectVerdict(Verdict.DELIVER);
            assertEquals(5, flow.applicationSent(), "the application sees its own 5 bytes sent");
        }
    }

    @Test
    void anEchoedStreamSplitAnywhereComesBackAsExactlyWhatWasSent() {
        Random random = new Random(65432);
        for (int round = 0; round < 200; round++) {
            try (TestFlow flow = tester.flow(ECHO)) {
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                for (int m = 0; m < 1 + random.nextInt(6); m++) {
                    byte[] message = randomText(random, 1 + random.nextInt(40));
                    sent.writeBytes(message);
                    flow.send(message);
                }
                flow.recvAll(flow.wire(), ChunkPlan.random(round, 12)); // the network re-chunks the echo as it likes
                assertArrayEquals(sent.toByteArray(), flow.app(), "round " + round);
                assertEquals(0, flow.held(Direction.RECV));
            }
        }
    }

    @Test
    void aPeerThatDoesNotTagIsLeftAlone() {
        try (TestFlow flow = tester.flow(ECHO)) {
            flow.recv("plain reply").expectOutput("plain reply").expectVerdict(Verdict.NO_CUSTOMIZATION);
            flow.recv("<start>later").expectOutput("<start>later"); // once untagged, always untagged
        }
    }

    @Test
    void aPartialFrameIsHeldUntilItsEndArrives() {
        try (TestFlow flow = tester.flow(ECHO)) {
            flow.recv("<st").expectOutput("").expectHeld(3).expectOutcome(Outcome.HELD);
            flow.recv("art>hel").expectOutput("").expectHeld(10);
            flow.recv("lo<end>".getBytes(US_ASCII), 2, 3).expectOutput("hello").expectHeld(0);
            assertEquals(5, flow.applicationReceived());
        }
    }

    @Test
    void bytesBetweenFramesAreAProtocolErrorThatAbortsTheFlow() {
        try (TestFlow flow = tester.flow(ECHO)) {
            Step step = flow.recv("<start>ok<end>garbage").expectVerdict(Verdict.ERROR).expectOutcome(Outcome.ABORTED);
            assertTrue(step.abortReason().contains("copy length -71"), step.abortReason());
        }
        assertEquals(1, tester.moduleInfo().recv.errors);
        assertEquals(0, tester.moduleInfo().recv.faults, "an error verdict is not a rule break");
    }

    @Test
    void aDatagramIsOneFrame() {
        try (TestFlow flow = tester.flow(FlowSpec.udp().from("127.0.0.1", 50000).to("127.0.0.1", 65432))) {
            byte[] wire = flow.send("query").expectOutput("<start>query<end>").output();
            flow.recv(wire).expectOutput("query");
            flow.recv("untagged").expectVerdict(Verdict.TRY_NEXT).expectOutcome(Outcome.ORIGINAL);
            flow.recv("<start>truncated").expectVerdict(Verdict.DROP).expectOutcome(Outcome.DROPPED);
        }
    }

    @Test
    void flowsToOtherPortsAreNotTouched() {
        assertEquals("remote=*:65432", tester.target(), "both protocols, any process: only the port is shown");
        FlowSpec web = ECHO.to("127.0.0.1", 8080);
        assertFalse(tester.matches(web));
        try (TestFlow flow = tester.otherFlow(web)) {
            flow.send("GET /").expectOutput("GET /").expectOutcome(Outcome.ORIGINAL);
            assertEquals(0, tester.moduleInfo().usedBy);
        }
    }

    @Test
    void newTagsApplyToNewFlowsWhileOpenFlowsKeepTheirs() {
        try (TestFlow old = tester.flow(ECHO)) {
            old.send("a");
            tester.configure("start.tag", "[[", "end.tag", "]]");
            old.send("b").expectOutput("<start>b<end>");
            try (TestFlow fresh = tester.flow(ECHO)) {
                fresh.send("c").expectOutput("[[c]]");
            }
        }
    }

    @Test
    void theServerSideUnwrapsWhatTheClientSendsAndTagsItsReplies() {
        try (ModuleTester server = ModuleTester.activate(EchoTagServer.class);
                TestFlow flow = server.flow(FlowSpec.tcp().local("127.0.0.1", 65432).remote("127.0.0.1", 50000)
                        .openedByPeer().process("python3"))) {
            flow.recvAll("<start>hi<end><start>there<end>".getBytes(US_ASCII), ChunkPlan.sizes(5));
            assertEquals("hithere", flow.appText());
            flow.send("hithere").expectOutput("<start>hithere<end>");
        }
    }

    private static byte[] randomText(Random random, int length) {
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = (byte) ('a' + random.nextInt(26)); // never '<': the payload must not contain a tag
        }
        return text;
    }
}
