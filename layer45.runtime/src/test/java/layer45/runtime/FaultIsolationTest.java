package layer45.runtime;

import static layer45.runtime.RuntimeFixture.bytes;
import static layer45.runtime.RuntimeFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import layer45.api.Verdict;
import layer45.api.runtime.ModuleDTO;
import layer45.api.spi.Outcome;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A misbehaving module costs at most its own flow, is counted, and is deactivated past its fault budget. */
class FaultIsolationTest {

    private RuntimeFixture fixture = new RuntimeFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("throws", (ScriptedModule.Path) (in, out, f) -> {
                    throw new IllegalStateException("boom");
                }, "threw java.lang.IllegalStateException: boom"),
                Arguments.of("returns null", (ScriptedModule.Path) (in, out, f) -> null, "returned null"),
                Arguments.of("copy length out of range", (ScriptedModule.Path) (in, out, f) -> {
                    out.write(bytes("abc"));
                    return out.deliver(10);
                }, "copy length of 10 bytes but wrote only 3"),
                Arguments.of("writes past the output limit", (ScriptedModule.Path) (in, out, f) -> {
                    out.write(new byte[out.maxLength() + 1]);
                    return Verdict.DELIVER;
                }, "output limit"),
                Arguments.of("holds with the wrong verdict", (ScriptedModule.Path) (in, out, f) -> {
                    in.holdUnread();
                    return Verdict.NO_CUSTOMIZATION;
                }, "holdUnread() but answered NO_CUSTOMIZATION"),
                Arguments.of("stack overflow", (ScriptedModule.Path) (in, out, f) -> recurse(0),
                        "StackOverflowError"));
    }

    private static Verdict recurse(int depth) {
        return depth < 0 ? Verdict.DROP : recurse(depth + 1);
    }

    @ParameterizedTest(name = "a module that {0}")
    @MethodSource("faults")
    void aFaultAbortsOnlyItsFlowAndIsCountedWithTheReason(String what, ScriptedModule.Path path, String reason) {
        fixture.load("bad", new ScriptedModule(path, ScriptedModule.NO_CUSTOMIZATION), "process", "dig");
        fixture.load("good", ScriptedModule.tagging("G:"), "process", "curl");
        try (DriverFlow victim = fixture.tcp();
                DriverFlow bystander = fixture.owned(layer45.api.Transport.TCP, "curl", "curl")) {
            victim.send(bytes("x"));
            assertEquals(Outcome.ABORTED, victim.lastOutcome());
            assertTrue(victim.lastAbortReason().contains(reason), victim.lastAbortReason());
            assertEquals("G:y", text(bystander.send(bytes("y"))), "other flows are not disturbed");
            assertEquals("z", text(victim.recv(bytes("z"))).isEmpty() ? "z" : "not aborted");
        }
        ModuleDTO bad = fixture.runtime.module("bad");
        assertEquals(1, bad.send.faults);
        assertTrue(bad.lastProblem.contains(reason), bad.lastProblem);
        assertTrue(bad.active, "one fault is within the budget");
    }

    @Test
    void aCallPastItsTimeBudgetIsCaughtWhileItIsStillRunning() throws Exception {
        fixture.close();
        fixture = new RuntimeFixture(RuntimeSettings.from(Map.of(RuntimeSettings.CALL_BUDGET_MS, 50)));
        CountDownLatch release = new CountDownLatch(1);
        fixture.load("slow", new ScriptedModule((in, out, f) -> {
            try {
                release.await(10, TimeUnit.SECONDS); // stuck until the test has seen the watchdog act
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Verdict.NO_CUSTOMIZATION;
        }, ScriptedModule.NO_CUSTOMIZATION));
        try (DriverFlow flow = fixture.tcp()) {
            Thread sender = Thread.ofPlatform().start(() -> flow.send(bytes("x")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (flow.asyncAborts().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertFalse(flow.asyncAborts().isEmpty(), "the stack was asked to abort the flow during the call");
            assertTrue(flow.asyncAborts().get(0).contains("call budget of 50 ms"), flow.asyncAborts().get(0));
            assertTrue(sender.isAlive(), "the call was still running when it was caught");
            ModuleDTO caught = fixture.runtime.module("slow");
            assertEquals(1, caught.send.faults, "counted when caught, so lsmod shows a call that never returns");
            assertEquals(1, fixture.runtime.stats().flowsAborted, "the flow counts as aborted when the stack aborts it");
            assertTrue(sender.isAlive(), "the call was still running when the fault showed");
            release.countDown();
            sender.join(10_000);
            assertEquals(Outcome.ABORTED, flow.lastOutcome());
        }
        assertEquals(1, fixture.runtime.module("slow").send.faults, "counted once, not again when it returned");
        assertEquals(1, fixture.runtime.stats().flowsAborted, "aborted once, not again when the call returned");
    }

    @Test
    void pastTheFaultBudgetTheModuleIsDeactivatedAndSaysWhyUntilAnOperatorActivatesIt() {
        fixture.close();
        fixture = new RuntimeFixture(RuntimeSettings.from(Map.of(RuntimeSettings.FAULT_BUDGET, 2)));
        fixture.load("flaky", new ScriptedModule((in, out, f) -> {
            throw new IllegalStateException("flaky");
        }, ScriptedModule.NO_CUSTOMIZATION));
        for (int i = 0; i < 3; i++) {
            try (DriverFlow flow = fixture.tcp()) {
                flow.send(bytes("x"));
                assertEquals(Outcome.ABORTED, flow.lastOutcome());
            }
        }
        ModuleDTO flaky = fixture.runtime.module("flaky");
        assertFalse(flaky.active);
        assertTrue(flaky.deactivatedReason.contains("more faults than its budget"), flaky.deactivatedReason);
        assertTrue(flaky.deactivatedReason.contains("flaky"), "names the last fault: " + flaky.deactivatedReason);
        assertEquals(1, fixture.runtime.stats().autoDeactivations);
        try (DriverFlow flow = fixture.tcp()) {
            assertEquals("passes", text(flow.send(bytes("passes"))), "a deactivated module no longer runs");
        }
        fixture.runtime.setActive("flaky", true);
        ModuleDTO revived = fixture.runtime.module("flaky");
        assertTrue(revived.active);
        assertEquals("", revived.deactivatedReason);
        assertEquals(0, revived.budgetFaults);
    }

    @Test
    void closingAModulesStateMayFailWithoutHarm() {
        fixture.load("m", new ScriptedModule((in, out, f) -> {
            f.state(() -> (AutoCloseable) () -> {
                throw new IllegalStateException("close failed");
            });
            return Verdict.NO_CUSTOMIZATION;
        }, ScriptedModule.NO_CUSTOMIZATION));
        try (DriverFlow flow = fixture.tcp()) {
            flow.send(bytes("x"));
        }
        assertEquals(0, fixture.runtime.module("m").usedBy);
        assertEquals(0, fixture.runtime.flows().size());
    }
}
