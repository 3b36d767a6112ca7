package layer45.runtime;

import static layer45.runtime.RuntimeFixture.bytes;
import static layer45.runtime.RuntimeFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.api.runtime.FlowState;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The twelve rules of the original Layer 4.5 "Module Requirements" (seed 000), one by one, as the API's rule table
 * (layer45.api package documentation) states them.
 */
class SeedRulesTest {

    private final RuntimeFixture fixture = new RuntimeFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    // ---- Rule 1: a module registers both paths; declining one is a verdict --------------------------------

    @Test
    void rule1_aModuleBuiltWithoutARecvPathIsRefusedWithTheRule() throws Exception {
        Object half = HalfModuleCompiler.compileModuleWithoutRecv();
        ModuleRefusedException refused = assertThrows(ModuleRefusedException.class,
                () -> fixture.runtime.load("half", half, RuntimeFixture.props(), ModuleOrigin.NONE));
        String reason = refused.refusal().reason();
        assertTrue(reason.contains("has no recv(Chunk, Output, Flow)"), reason);
        assertTrue(reason.contains("rule 1"), reason);
        assertTrue(reason.contains("NO_CUSTOMIZATION"), "says how to decline a path: " + reason);
        assertEquals(List.of("half"), fixture.runtime.refusals().stream().map(r -> r.name).toList());
        assertTrue(fixture.runtime.modules().isEmpty());
    }

    @Test
    void rule1_anObjectThatIsNotACustomizationIsRefused() {
        ModuleRefusedException refused = assertThrows(ModuleRefusedException.class,
                () -> fixture.runtime.load("impostor", "not a module", RuntimeFixture.props(), ModuleOrigin.NONE));
        assertTrue(refused.refusal().reason().contains("is not a layer45.api.Customization"),
                refused.refusal().reason());
    }

    @Test
    void rule1_decliningAPathIsTheNoCustomizationVerdict() {
        fixture.load("send-only", ScriptedModule.tagging("T:"));
        try (DriverFlow flow = fixture.tcp()) {
            assertEquals("T:hi", text(flow.send(bytes("hi"))));
            assertEquals("reply", text(flow.recv(bytes("reply"))));
            assertEquals(Outcome.ORIGINAL, flow.lastOutcome());
        }
    }

    // ---- Rule 2: buffers belong to the runtime ----------------------------------------------------------------

    @Test
    void rule2_aChunkKeptAndUsedAfterTheCallFailsLoudlyAndCostsTheFlow() throws Exception {
        AtomicReference<Chunk> kept = new AtomicReference<>();
        fixture.load("keeper", new ScriptedModule((in, out, flow) -> {
            kept.set(in);
            return Verdict.NO_CUSTOMIZATION;
        }, ScriptedModule.NO_CUSTOMIZATION));
        try (DriverFlow flow = fixture.tcp()) {
            flow.send(bytes("first"));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread later = Thread.ofPlatform().start(() -> {
                try {
                    kept.get().remaining();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            later.join(10_000);
            assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().contains("rule 2"), thrown.get().getMessage());
            // The flow is aborted (the module is demonstrably misbehaving on it) and the fault is on record.
            assertEquals(1, flow.asyncAborts().size());
            flow.send(bytes("second"));
            assertEquals(Outcome.ABORTED, flow.lastOutcome());
            assertTrue(fixture.runtime.module("keeper").lastProblem.contains("after its call returned"));
        }
    }

    @Test
    void rule2_anOutputKeptAndWrittenLaterCannotReachAnyFlow() {
        AtomicReference<Output> kept = new AtomicReference<>();
        fixture.load("keeper", new ScriptedModule((in, out, flow) -> {
            kept.set(out);
            out.write(bytes("x"));
            return Verdict.DELIVER;
        }, ScriptedModule.NO_CUSTOMIZATION));
        try (DriverFlow a = fixture.tcp(); DriverFlow b = fixture.tcp()) {
            a.send(bytes("1"));
            assertThrows(IllegalStateException.class, () -> kept.get().write(bytes("evil")));
            assertEquals("x", text(b.send(bytes("2"))));
        }
    }

    // ---- Rules 3 to 6: what each verdict does, table-driven, in both directions ------------------------------

    record Case(String rule, Direction direction, ScriptedModule.Path path, Outcome outcome, String delivered,
            int applicationBytes, FlowState after) {
        @Override
        public String toString() {
            return "rule " + rule + ", " + direction + " -> " + outcome;
        }
    }

    static Stream<Arguments> verdicts() {
        ScriptedModule.Path deliverX = (in, out, f) -> {
            out.write(bytes("X"));
            return Verdict.DELIVER;
        };
        ScriptedModule.Path dropByZero = (in, out, f) -> {
            out.write(bytes("ignored"));
            return out.deliver(0);
        };
        ScriptedModule.Path emptyDeliver = (in, out, f) -> Verdict.DELIVER;
        ScriptedModule.Path errorByLength = (in, out, f) -> out.deliver(-5);
        List<Case> cases = new ArrayList<>();
        for (Direction d : Direction.values()) {
            int sent = d == Direction.SEND ? 5 : 0; // the sender always sees its whole write go out
            cases.add(new Case("3", d, (in, out, f) -> Verdict.DROP, Outcome.DROPPED, "", sent, FlowState.CUSTOMIZED));
            cases.add(new Case("3", d, dropByZero, Outcome.DROPPED, "", sent, FlowState.CUSTOMIZED));
            cases.add(new Case("3", d, emptyDeliver, Outcome.DROPPED, "", sent, FlowState.CUSTOMIZED));
            cases.add(new Case("3", d, deliverX, Outcome.CUSTOMIZED, "X", d == Direction.SEND ? 5 : 1,
                    FlowState.CUSTOMIZED));
            cases.add(new Case("4", d, (in, out, f) -> Verdict.ERROR, Outcome.ABORTED, "", 0, FlowState.ABORTED));
            cases.add(new Case("4", d, errorByLength, Outcome.ABORTED, "", 0, FlowState.ABORTED));
            cases.add(new Case("5", d, ScriptedModule.NO_CUSTOMIZATION, Outcome.ORIGINAL, "hello", 5,
                    FlowState.CUSTOMIZED));
            cases.add(new Case("5", d, ScriptedModule.TRY_NEXT, Outcome.ORIGINAL, "hello", 5, FlowState.CUSTOMIZED));
            cases.add(new Case("6", d, (in, out, f) -> Verdict.SKIP_FLOW, Outcome.BYPASSED, "hello", 5,
                    FlowState.BYPASSED));
        }
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void rules3to6_eachVerdictDeliversWhatTheRuleSays(Case c) {
        ScriptedModule module = c.direction() == Direction.SEND
                ? new ScriptedModule(c.path(), ScriptedModule.NO_CUSTOMIZATION)
                : new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, c.path());
        fixture.load("m", module);
        try (DriverFlow flow = fixture.tcp()) {
            byte[] out = c.direction() == Direction.SEND ? flow.send(bytes("hello")) : flow.recv(bytes("hello"));
            assertEquals(c.outcome(), flow.lastOutcome());
            assertEquals(c.delivered(), text(out));
            long applicationBytes = c.direction() == Direction.SEND ? flow.applicationSent() : flow.app().length;
            assertEquals(c.applicationBytes(), applicationBytes, "bytes the application sees");
            assertEquals(c.after(), fixture.runtime.flows().get(0).state);
        }
    }

    @Test
    void rule4_anErrorAbortsTheFlowCountsAgainstTheModuleButDoesNotDeactivateIt() {
        fixture.load("m", new ScriptedModule((in, out, f) -> out.deliver(-71), ScriptedModule.NO_CUSTOMIZATION));
        for (int i = 0; i < 20; i++) { // far past the fault budget: errors are not faults
            try (DriverFlow flow = fixture.tcp()) {
                flow.send(bytes("x"));
                assertEquals(Outcome.ABORTED, flow.lastOutcome());
                assertTrue(flow.lastAbortReason().contains("copy length -71"), flow.lastAbortReason());
                flow.send(bytes("y"));
                assertEquals(Outcome.ABORTED, flow.lastOutcome(), "an aborted flow stays aborted");
            }
        }
        ModuleDTO m = fixture.runtime.module("m");
        assertEquals(20, m.send.errors);
        assertEquals(0, m.send.faults);
        assertTrue(m.active);
        assertEquals(20, fixture.runtime.stats().flowsAborted);
    }

    @Test
    void rule5_noCustomizationStopsTheChainWhileTryNextHandsTheOriginalOn() {
        ScriptedModule first = new ScriptedModule((in, out, f) -> {
            in.advance(2); // moving the position must not change what the next module sees
            out.write(bytes("discarded"));
            return Verdict.TRY_NEXT;
        }, ScriptedModule.NO_CUSTOMIZATION);
        ScriptedModule second = new ScriptedModule((in, out, f) -> {
            byte[] all = new byte[in.remaining()];
            in.copyFull(all);
            out.write(bytes("[" + text(all) + "]"));
            return Verdict.DELIVER;
        }, ScriptedModule.NO_CUSTOMIZATION);
        ScriptedModule third = ScriptedModule.tagging("never");
        fixture.load("a", first, "priority", 1);
        fixture.load("b", second, "priority", 2);
        fixture.load("c", third, "priority", 3);
        try (DriverFlow flow = fixture.tcp()) {
            assertEquals("[hello]", text(flow.send(bytes("hello"))));
            assertEquals(0, third.sendCalls.get());
            flow.recv(bytes("r")); // all three answer NO_CUSTOMIZATION on recv: only the first is asked
            assertEquals(1, first.recvCalls.get());
            assertEquals(0, second.recvCalls.get());
        }
    }

    @Test
    void rule6_skipFlowBypassesBothDirectionsForeverAndDetaches() {
        List<String> closed = new ArrayList<>();
        ScriptedModule module = new ScriptedModule((in, out, f) -> {
            f.state(() -> (AutoCloseable) () -> closed.add("state"));
            return Verdict.SKIP_FLOW;
        }, ScriptedModule.NO_CUSTOMIZATION);
        fixture.load("m", module);
        try (DriverFlow flow = fixture.tcp()) {
            assertEquals("a", text(flow.send(bytes("a"))));
            assertEquals(List.of("state"), closed);
            assertEquals(0, fixture.runtime.module("m").usedBy);
            assertEquals("b", text(flow.recv(bytes("b"))));
            assertEquals("c", text(flow.send(bytes("c"))));
            assertEquals(Outcome.BYPASSED, flow.lastOutcome());
            assertEquals(1, module.calls());
        }
    }

    // ---- Rules 7 and 8: a read-only, possibly non-linear source -------------------------------------------

    @Test
    void rules7and8_aChunkInSeveralSegmentsReadsAsOneAndCopiesAllOrNothing() {
        List<String> seen = new ArrayList<>();
        fixture.load("reader", new ScriptedModule((in, out, f) -> {
            seen.add("segments=" + in.segmentCount() + " length=" + in.length());
            byte[] tooMuch = new byte[in.remaining() + 1];
            assertFalse(in.copyFull(tooMuch));
            assertEquals(0, in.position(), "a failed copy copies nothing and does not move");
            byte[] head = new byte[4];
            assertTrue(in.copyFull(head));
            in.revert(2);
            byte[] rest = new byte[in.remaining()];
            assertTrue(in.copyFull(rest));
            out.write(head).write(bytes("|")).write(rest);
            return Verdict.DELIVER;
        }, ScriptedModule.NO_CUSTOMIZATION));
        try (DriverFlow flow = fixture.tcp()) {
            // The driver checks that the runtime never moved the segments' own positions.
            assertEquals("abcd|cdefghij", text(flow.send(bytes("abcdefghij"), 3, 1, 6)));
            assertEquals(List.of("segments=3 length=10"), seen);
        }
    }

    @Test
    void rules7and8_theChunkHasNoWayToChangeTheOriginalBytes() {
        for (var method : Chunk.class.getMethods()) {
            String name = method.getName();
            assertFalse(name.startsWith("set") || name.startsWith("put") || name.startsWith("write"),
                    "Chunk." + name + " would let a module change the original");
        }
    }

    // ---- Rule 9: autoload folder — the runtime's autoload watcher (operations), not the chain -----------------

    // ---- Rule 10: an inactive module stays attached but does not customize --------------------------------

    @Test
    void rule10_anInactiveModuleIsAttachedCountedAndNeverCalled() {
        ScriptedModule module = ScriptedModule.tagging("T:");
        fixture.load("m", module, "active", false);
        try (DriverFlow flow = fixture.tcp()) {
            assertEquals("x", text(flow.send(bytes("x"))));
            assertEquals(0, module.calls());
            assertEquals(1, fixture.runtime.module("m").usedBy);
            fixture.runtime.setActive("m", true);
            assertEquals("T:y", text(flow.send(bytes("y"))), "activation reaches the open flow at its next chunk");
            fixture.runtime.setActive("m", false);
            assertEquals("z", text(flow.send(bytes("z"))));
        }
    }

    // ---- Rule 11: a deprecated module keeps its flows, attaches to no new ones --------------------------------

    @Test
    void rule11_aDeprecatedModuleKeepsCustomizingItsFlowsButJoinsNoNewOnes() {
        fixture.load("m", ScriptedModule.tagging("T:"));
        try (DriverFlow old = fixture.tcp()) {
            fixture.runtime.deprecate("m");
            assertEquals(ModuleState.DEPRECATED, fixture.runtime.module("m").state);
            assertEquals("T:a", text(old.send(bytes("a"))));
            try (DriverFlow fresh = fixture.tcp()) {
                assertEquals("b", text(fresh.send(bytes("b"))));
                assertEquals(FlowState.UNMATCHED, fixture.runtime.flows().get(1).state);
            }
        }
    }

    // ---- Rule 12: thread and process names are separate -------------------------------------------------------

    @Test
    void rule12_processAndThreadNamesAreMatchedSeparately() {
        fixture.load("by-process", ScriptedModule.tagging("P:"), "process", "dig", "priority", 1);
        fixture.load("by-thread", ScriptedModule.tagging("T:"), "thread", "dig", "priority", 2);
        try (DriverFlow dig = fixture.owned(Transport.UDP, "dig", "isc-net-0000")) {
            assertEquals("P:q", text(dig.send(bytes("q"))));
            assertArrayEquals(new String[] { "by-process" }, fixture.runtime.flows().get(0).modules);
            assertEquals("isc-net-0000", fixture.runtime.flows().get(0).threadName);
        }
    }

    /** Used by rule 1: a module class compiled against an API whose Customization has no recv. */
    static final class HalfModuleCompiler {
        static Object compileModuleWithoutRecv() throws Exception {
            return CompiledModules.compileAgainstOldApi("HalfModule", """
                    import layer45.api.*;
                    public class HalfModule implements Customization {
                        public Verdict send(Chunk in, Output out, Flow flow) { return Verdict.NO_CUSTOMIZATION; }
                    }
                    """, StandardCharsets.US_ASCII);
        }
    }
}
