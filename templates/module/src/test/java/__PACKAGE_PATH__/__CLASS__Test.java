package __PACKAGE__;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;

import layer45.api.Verdict;
import layer45.testing.ChunkPlan;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.Test;

/** __CLASS__ in the real layer45 runtime, in memory: no OSGi, no network. */
class __CLASS__Test {

    /** curl fetching from a server on port 8000: the flow the module's target matches. */
    private static final FlowSpec CURL = FlowSpec.tcp().from("10.45.0.2", 40000).to("10.45.0.1", 8000)
            .process("curl");

    @Test
    void theWordIsShoutedInWhatCurlReceives() {
        try (ModuleTester tester = ModuleTester.activate(__CLASS__.class); TestFlow flow = tester.flow(CURL)) {
            flow.recv("say hello, hello!").expectOutput("say HELLO, HELLO!").expectVerdict(Verdict.DELIVER);
            assertEquals(17, flow.applicationReceived(), "curl reads as many bytes as the server sent");
        }
    }

    @Test
    void aWordCutAcrossChunksIsHeldUntilItIsWhole() {
        try (ModuleTester tester = ModuleTester.activate(__CLASS__.class); TestFlow flow = tester.flow(CURL)) {
            flow.recv("oh hel").expectOutput("oh ").expectHeld(3);
            flow.recv("lo there").expectOutput("HELLO there").expectHeld(0);
        }
    }

    @Test
    void theResultDoesNotDependOnHowTheStreamIsCut() {
        byte[] body = "hello world, hello layer45, help!".getBytes(StandardCharsets.US_ASCII);
        for (long seed = 0; seed < 100; seed++) {
            try (ModuleTester tester = ModuleTester.activate(__CLASS__.class); TestFlow flow = tester.flow(CURL)) {
                flow.recvAll(body, ChunkPlan.random(seed, 8));
                flow.endRecv();
                assertEquals("HELLO world, HELLO layer45, help!", flow.appText(), "seed " + seed);
            }
        }
    }

    @Test
    void theWordIsAParameter() {
        try (ModuleTester tester = ModuleTester.activate(__CLASS__.class, "word", "world");
                TestFlow flow = tester.flow(CURL)) {
            flow.recv("hello world").expectOutput("hello WORLD");
        }
    }

    @Test
    void whatCurlSendsAndOtherProgramsAreLeftAlone() {
        try (ModuleTester tester = ModuleTester.activate(__CLASS__.class)) {
            try (TestFlow flow = tester.flow(CURL)) {
                flow.send("GET /hello HTTP/1.1\r\n\r\n").expectVerdict(Verdict.NO_CUSTOMIZATION);
            }
            assertFalse(tester.matches(CURL.process("wget")));
            assertFalse(tester.matches(CURL.to("10.45.0.1", 443)));
        }
    }
}
