package layer45.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import layer45.api.Customization;
import layer45.api.Verdict;
import layer45.api.spi.Outcome;
import layer45.runtime.rules.ModuleRule;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each rule a module can break fails its test with the rule's number and text, what the module did, where, and
 * the fix: the message the runtime logs, word for word.
 */
class RuleBreaksTest {

    private static final FlowSpec FLOW = FlowSpec.tcp().to("10.0.0.2", 8000);

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Logger runtimeLogger = Logger.getLogger("layer45.runtime");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheRuntimeLog() {
        runtimeLogger.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        runtimeLogger.removeHandler(capture);
    }

    /** Sends one chunk through the module and returns the tester's message, checked against the rule and the log. */
    private String broken(ModuleRule rule, Customization module, Map<String, Object> settings) {
        try (ModuleTester tester = ModuleTester.of(module, "breaker", Map.of())) {
            settings.forEach(tester::setting);
            try (TestFlow flow = tester.flow(FLOW)) {
                AssertionError e = assertThrows(AssertionError.class, () -> flow.send("hello world"));
                String message = e.getMessage();
                assertTrue(message.startsWith("module 'breaker' broke rule " + rule.number() + " (" + rule.title()
                        + "): "), message);
                assertTrue(message.contains(". Fix: " + rule.fix()), message);
                assertTrue(message.contains("\n    at send call 1 of flow " + flow.id()), message);
                String firstLine = message.substring(0, message.indexOf('\n'));
                assertTrue(log.stream().anyMatch(line -> line.contains(firstLine)),
                        "the runtime's log says the same: " + log);
                assertTrue(flow.aborted(), "the runtime aborted the flow");
                assertEquals(1, tester.moduleInfo().send.faults, "the fault is counted against the module");
                return message;
            }
        }
    }

    private String broken(ModuleRule rule, Customization module) {
        return broken(rule, module, Map.of());
    }

    @Test
    void rule1_returningNull() {
        String m = broken(ModuleRule.BOTH_PATHS, new RuleBreakers.ReturnsNull());
        assertTrue(m.contains("returned null instead of a Verdict in send of flow"), m);
    }

    @Test
    void rule2_keepingTheChunkInAField() {
        String m = broken(ModuleRule.BUFFERS_BELONG_TO_THE_RUNTIME, new RuleBreakers.KeepsTheChunk());
        assertTrue(m.contains("kept the Chunk of the call in field KeepsTheChunk.last after the call returned"), m);
    }

    @Test
    void rule2_keepingTheOutputInThePerFlowState() {
        String m = broken(ModuleRule.BUFFERS_BELONG_TO_THE_RUNTIME, new RuleBreakers.KeepsTheOutputInItsState());
        assertTrue(m.contains("kept the Output of the call in field Memory.output"), m);
    }

    @Test
    void rule2_aKeptViewUsedLaterIsCaughtByTheRuntime() {
        RuleBreakers.KeepsTheChunk keeper = new RuleBreakers.KeepsTheChunk();
        try (ModuleTester tester = ModuleTester.of(keeper, "keeper", Map.of())) {
            try (TestFlow flow = tester.flow(FLOW)) {
                assertThrows(AssertionError.class, () -> flow.send("a"));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> keeper.last().remaining());
                assertTrue(e.getMessage().startsWith("module 'keeper' broke rule 2 ("), e.getMessage());
                assertTrue(e.getMessage().contains("used the Chunk after its call returned"), e.getMessage());
            }
        }
    }

    @Test
    void rule3_aCopyLengthBeyondWhatWasWritten() {
        String m = broken(ModuleRule.COPY_LENGTH, new RuleBreakers.DeliversTooMuch());
        assertTrue(m.contains("delivered a copy length of 5 bytes but wrote only 2"), m);
        assertTrue(m.contains("in send of flow"), m);
        assertTrue(m.contains("on the chunk of 11 bytes at stream byte 0"), m);
    }

    @Test
    void rule3_writingPastTheOutputLimit() {
        String m = broken(ModuleRule.COPY_LENGTH, new RuleBreakers.WritesPastTheLimit());
        assertTrue(m.contains("more than the output limit"), m);
    }

    @Test
    void rule4_throwing() {
        String m = broken(ModuleRule.ERRORS_ARE_VERDICTS, new RuleBreakers.Throws());
        assertTrue(m.contains("threw java.lang.IllegalStateException: no frame here"), m);
        assertTrue(m.contains("at layer45.testing.RuleBreakers$Throws.send(RuleBreakers.java:"), m);
    }

    @Test
    void rule4_anErrorVerdictIsNotARuleBreak() {
        try (ModuleTester tester = ModuleTester.of(new RuleBreakers.ReportsAnError(), "errs", Map.of());
                TestFlow flow = tester.flow(FLOW)) {
            Step step = flow.send("x").expectVerdict(Verdict.ERROR).expectOutcome(Outcome.ABORTED);
            assertTrue(step.abortReason().contains("reported an error (copy length -71)"), step.abortReason());
            assertTrue(flow.aborted());
            assertEquals(1, tester.moduleInfo().send.errors);
            assertEquals(0, tester.moduleInfo().send.faults);
        }
    }

    @Test
    void rule7_movingTheCursorOutOfBounds() {
        String m = broken(ModuleRule.READ_THROUGH_THE_CURSOR, new RuleBreakers.AdvancesTooFar());
        assertTrue(m.contains("cannot advance 12 bytes: 11 remain"), m);
    }

    @Test
    void rule13_holdingWithTheWrongVerdict() {
        String m = broken(ModuleRule.HOLD_NEEDS_DELIVER_OR_DROP, new RuleBreakers.HoldsWithTheWrongVerdict());
        assertTrue(m.contains("called holdUnread() but answered NO_CUSTOMIZATION"), m);
    }

    @Test
    void rule14_runningPastTheCallBudget() {
        String m = broken(ModuleRule.CALL_BUDGET, new RuleBreakers.Sleeps(), Map.of("call.budget.ms", 50));
        assertTrue(m.contains("ran longer than the call budget of 50 ms"), m);
    }

    @Test
    void rule15_holdingMoreThanTheHoldLimit() {
        try (ModuleTester tester = ModuleTester.of(new RuleBreakers.HoldsEverything(), "hoarder", Map.of())
                .setting("hold.limit", 1024); TestFlow flow = tester.flow(FLOW)) {
            flow.send(new byte[1000]).expectHeld(1000);
            AssertionError e = assertThrows(AssertionError.class, () -> flow.send(new byte[100]));
            ModuleRule rule = ModuleRule.HOLD_LIMIT;
            assertTrue(e.getMessage().startsWith("module 'hoarder' broke rule 15 (" + rule.title() + "): held more"
                    + " than the hold limit of 1024 bytes in send of flow " + flow.id()), e.getMessage());
            assertTrue(e.getMessage().endsWith("Fix: " + rule.fix() + "\n    at send call 2 of flow " + flow.id()
                    + ": 100 new bytes at stream byte 1000"), e.getMessage());
        }
    }

    @Test
    void aRuleBreakOnARandomlyCutStreamNamesThePlanAndTheChunk() {
        try (ModuleTester tester = ModuleTester.of(new RuleBreakers.Throws(), "thrower", Map.of());
                TestFlow flow = tester.flow(FLOW)) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> flow.sendAll(new byte[30], ChunkPlan.random(3, 10)));
            assertTrue(e.getMessage().contains("with ChunkPlan.random(3, 10), at its chunk of bytes 0.."),
                    e.getMessage());
        }
    }

    @Test
    void everyRuleAModuleCanBreakHasAFixAndTheOthersDoNot() {
        for (ModuleRule rule : ModuleRule.values()) {
            boolean breakable = switch (rule.number()) {
                case 1, 2, 3, 4, 7, 13, 14, 15 -> true;
                default -> false;
            };
            assertEquals(breakable, !rule.fix().isEmpty(), rule.toString());
            assertEquals(rule, ModuleRule.number(rule.number()));
        }
    }
}
