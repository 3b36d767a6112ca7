package layer45.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import layer45.api.CustomizationService;
import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;

import org.junit.jupiter.api.Test;

/** What a module author does with the tester: activate, match, drive flows, reconfigure, look at state. */
class ModuleTesterTest {

    private static final FlowSpec CURL = FlowSpec.tcp().from("10.0.0.1", 40000).to("10.0.0.2", 8000).process("curl");

    @Test
    void theModuleIsActivatedWithItsDescriptorAsDeclarativeServicesWould() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class, "suffix", "!")) {
            assertEquals("upper-case", tester.name());
            assertEquals("tcp process=curl remote=*:8000", tester.target());
            assertEquals("!", tester.properties().get("suffix"));
            try (TestFlow flow = tester.flow(CURL)) {
                flow.send("get /\n").expectOutput("GET /!\n").expectVerdict(Verdict.DELIVER)
                        .expectOutcome(Outcome.CUSTOMIZED);
            }
        }
    }

    @Test
    void targetMatchingFollowsTheTargetProperties() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class)) {
            assertTrue(tester.matches(CURL));
            assertFalse(tester.matches(CURL.to("10.0.0.2", 8001)), "another port");
            assertFalse(tester.matches(CURL.process("wget")), "another process");
            assertTrue(tester.matches(CURL.thread("curl-worker")), "any thread");
            assertFalse(tester.matches(FlowSpec.udp().to("10.0.0.2", 8000).process("curl")), "UDP");
            AssertionError notMatched = assertThrows(AssertionError.class, () -> tester.flow(CURL.process("wget")));
            assertTrue(notMatched.getMessage().contains("no module matches the flow"), notMatched.getMessage());
            try (TestFlow other = tester.otherFlow(CURL.process("wget"))) {
                Step step = other.send("left alone\n").expectOutput("left alone\n").expectOutcome(Outcome.ORIGINAL);
                assertNull(step.verdict(), "the module was not called");
            }
        }
    }

    @Test
    void aStreamCutAnywhereGivesTheSameOutputAndTheApplicationSeesItsOwnByteCounts() {
        byte[] request = "get / http/1.1\nhost: example\n\n".getBytes(US_ASCII);
        for (long seed = 0; seed < 50; seed++) {
            try (ModuleTester tester = ModuleTester.activate(UpperCase.class);
                    TestFlow flow = tester.flow(CURL)) {
                flow.sendAll(request, ChunkPlan.random(seed, 7));
                assertEquals("GET / HTTP/1.1\nHOST: EXAMPLE\n\n", flow.wireText(), "seed " + seed);
                assertEquals(request.length, flow.applicationSent(), "the application saw its whole writes sent");
                assertEquals(3, flow.state(UpperCase.Lines.class).count);
            }
        }
    }

    @Test
    void aPartialLineIsHeldAndOfferedAgainAndDiscardedAtTheEnd() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class); TestFlow flow = tester.flow(CURL)) {
            flow.send("ab").expectOutput("").expectHeld(2).expectOutcome(Outcome.HELD);
            assertEquals(2, flow.held(Direction.SEND));
            assertEquals(2, flow.applicationSent(), "held bytes are sent, for the application");
            flow.send("c\nd".getBytes(US_ASCII), 1, 1).expectOutput("ABC\n").expectHeld(1);
            flow.endSend().expectOutput("").expectHeld(0);
            flow.recv("reply").expectOutput("reply").expectVerdict(Verdict.NO_CUSTOMIZATION);
            assertEquals(5, flow.applicationReceived());
            assertEquals(java.util.Arrays.asList(Verdict.DELIVER, Verdict.DELIVER, Verdict.DELIVER,
                    Verdict.NO_CUSTOMIZATION), flow.verdicts());
        }
    }

    @Test
    void reconfiguringCallsTheModifiedMethod() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class); TestFlow flow = tester.flow(CURL)) {
            flow.send("a\n").expectOutput("A\n");
            tester.configure("suffix", "?");
            flow.send("b\n").expectOutput("B?\n");
        }
    }

    @Test
    void anOperatorsPropertyChangesTheTarget() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class)
                .property(CustomizationService.REMOTE_PORT, "9000")) {
            assertTrue(tester.matches(CURL.to("10.0.0.2", 9000)));
            assertFalse(tester.matches(CURL));
        }
    }

    @Test
    void aModuleWithoutDescriptorIsGivenItsNameAndProperties() {
        UpperCase module = new UpperCase();
        try (ModuleTester tester = ModuleTester.of(module, "shout", Map.of(CustomizationService.PROCESS, "curl"))) {
            assertEquals("shout", tester.name());
            assertTrue(tester.matches(CURL.to("10.0.0.2", 1)));
            try (TestFlow flow = tester.flow(CURL)) {
                flow.send("x\n").expectOutput("X\n");
            }
            assertEquals(1, tester.moduleInfo().send.customized);
        }
    }

    @Test
    void whatOperatorsDoReachesTheModuleAsInTheRuntime() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class); TestFlow flow = tester.flow(CURL)) {
            tester.operator().setActive("upper-case", false);
            Step step = flow.send("quiet\n").expectOutput("quiet\n").expectOutcome(Outcome.ORIGINAL);
            assertNull(step.verdict(), "an inactive module is not called (rule 10)");
            tester.operator().setActive("upper-case", true);
            flow.send("loud\n").expectOutput("LOUD\n");
            tester.reconfigure("upper-case", "suffix", "!");
            flow.send("x\n").expectOutput("X!\n");
            assertThrows(IllegalArgumentException.class, () -> tester.reconfigure("other", "suffix", "?"));
        }
    }

    @Test
    void aSettingChangedWhileFlowsAreOpenAppliesAtTheirNextChunk() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class); TestFlow flow = tester.flow(CURL)) {
            flow.send(new byte[1000]).expectHeld(1000); // a partial line, well within the default hold limit
            tester.setting("hold.limit", 1024);
            assertEquals(1024, tester.operator().settings().get("hold.limit"), "what a module bound to it reads");
            AssertionError e = assertThrows(AssertionError.class, () -> flow.send(new byte[100]));
            assertTrue(e.getMessage().contains("broke rule 15"), e.getMessage());
        }
    }

    @Test
    void aLiveSettingOutOfRangeIsRefusedAndTheOldOneStays() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class).setting("call.budget.ms", 2000)) {
            assertEquals(2000L, tester.operator().settings().get("call.budget.ms"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tester.setting("call.budget.ms", 0));
            assertTrue(e.getMessage().contains("call.budget.ms"), e.getMessage());
            assertEquals(2000L, tester.operator().settings().get("call.budget.ms"));
            tester.setting("hold.limit", 4096); // the refused value is not kept either
            assertEquals(2000L, tester.operator().settings().get("call.budget.ms"));
        }
    }

    @Test
    void aMissingDescriptorSaysHowToMakeOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModuleTester.of(new RuleBreakers.ReturnsNull()));
        assertTrue(e.getMessage().contains("bnd-maven-plugin"), e.getMessage());
    }

    @Test
    void aFailedExpectationShowsBothSides() {
        try (ModuleTester tester = ModuleTester.activate(UpperCase.class); TestFlow flow = tester.flow(CURL)) {
            AssertionError e = assertThrows(AssertionError.class, () -> flow.send("a\n").expectOutput("a\n"));
            assertEquals("send call 1 of flow " + flow.id() + ": 2 new bytes at stream byte 0: expected output"
                    + " \"a\\n\" but was \"A\\n\"", e.getMessage());
        }
    }
}
