package layer45.runtime;

import static layer45.runtime.RuntimeFixture.bytes;
import static layer45.runtime.RuntimeFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import layer45.api.Transport;
import layer45.api.runtime.FlowState;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which modules a flow gets, in which order, and how open flows follow changes. */
class ChainTest {

    private final RuntimeFixture fixture = new RuntimeFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private String[] chainOfFirstFlow() {
        return fixture.runtime.flows().get(0).modules;
    }

    @Test
    void modulesRunLowestPriorityFirstAndTiesInNameOrder() {
        fixture.load("zeta", ScriptedModule.tagging("z"), "priority", 10);
        fixture.load("alpha", ScriptedModule.tagging("a"), "priority", 10);
        fixture.load("early", ScriptedModule.tagging("e"), "priority", 5);
        fixture.load("late", ScriptedModule.tagging("l"), "priority", 99);
        try (DriverFlow flow = fixture.tcp()) {
            assertArrayEquals(new String[] { "early", "alpha", "zeta", "late" }, chainOfFirstFlow());
            assertEquals("ex", text(flow.send(bytes("x"))), "the first module decides");
        }
    }

    @Test
    void whenMoreModulesMatchThanFitTheBestPrioritiesWinNotTheNewest() {
        for (int i = 0; i < 7; i++) {
            fixture.load("m" + i, ScriptedModule.tagging("" + i), "priority", 70 - i * 10); // newer = better
        }
        try (DriverFlow _ = fixture.tcp()) {
            assertArrayEquals(new String[] { "m6", "m5", "m4", "m3", "m2" }, chainOfFirstFlow());
        }
    }

    @Test
    void theChainLimitIsASetting() {
        fixture.runtime.updateSettings(RuntimeSettings.from(java.util.Map.of(RuntimeSettings.MAX_CHAIN, 2)));
        for (int i = 0; i < 4; i++) {
            fixture.load("m" + i, ScriptedModule.tagging("" + i), "priority", i);
        }
        try (DriverFlow _ = fixture.tcp()) {
            assertArrayEquals(new String[] { "m0", "m1" }, chainOfFirstFlow());
        }
    }

    @Test
    void aPriorityChangeReordersOpenFlowsAtTheirNextChunk() {
        fixture.load("a", ScriptedModule.tagging("A"), "priority", 1);
        fixture.load("b", ScriptedModule.tagging("B"), "priority", 2);
        try (DriverFlow flow = fixture.tcp()) {
            assertEquals("Ax", text(flow.send(bytes("x"))));
            fixture.runtime.setPriority("a", 3);
            assertEquals("By", text(flow.send(bytes("y"))));
            assertArrayEquals(new String[] { "b", "a" }, chainOfFirstFlow());
        }
    }

    @Test
    void aModuleThatAppliesNowJoinsOpenFlowsOthersOnlyNewOnes() {
        try (DriverFlow open = fixture.tcp()) {
            open.send(bytes("before"));
            fixture.load("later", ScriptedModule.tagging("L"));
            assertEquals("x", text(open.send(bytes("x"))), "loaded without apply-now: open flows unchanged");
            fixture.load("now", ScriptedModule.tagging("N"), "apply.now", true);
            assertEquals("Ny", text(open.send(bytes("y"))), "apply-now joins at the next chunk");
            try (DriverFlow _ = fixture.tcp()) {
                assertEquals(2, fixture.runtime.flows().get(1).modules.length, "new flows get both");
            }
        }
    }

    @Test
    void aSlotFreedByAnUnloadGoesToAModuleThatDidNotFit() {
        fixture.runtime.updateSettings(RuntimeSettings.from(java.util.Map.of(RuntimeSettings.MAX_CHAIN, 1)));
        fixture.load("first", ScriptedModule.tagging("1"), "priority", 1);
        fixture.load("second", ScriptedModule.tagging("2"), "priority", 2);
        try (DriverFlow flow = fixture.tcp()) {
            assertEquals("1x", text(flow.send(bytes("x"))));
            fixture.runtime.unload("first", true);
            assertEquals("2y", text(flow.send(bytes("y"))));
        }
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of(new Object[] { "protocol", "udp" }, false),
                Arguments.of(new Object[] { "protocol", new String[] { "TCP" } }, true),
                Arguments.of(new Object[] { "process", "dig" }, true),
                Arguments.of(new Object[] { "process", "di*" }, true),
                Arguments.of(new Object[] { "process", "curl" }, false),
                Arguments.of(new Object[] { "remote.address", "10.0.0.0/24" }, true),
                Arguments.of(new Object[] { "remote.address", "10.1.0.0/16" }, false),
                Arguments.of(new Object[] { "remote.port", "50-60" }, true),
                Arguments.of(new Object[] { "remote.port", "54,80" }, false),
                Arguments.of(new Object[] { "local.port", "40000" }, true),
                Arguments.of(new Object[] { "local.address", "10.0.0.1" }, true),
                Arguments.of(new Object[] { "local.address", "::1" }, false));
    }

    @ParameterizedTest(name = "{0} matches: {1}")
    @MethodSource("targets")
    void aModuleAttachesOnlyToFlowsItsTargetMatches(Object[] target, boolean matches) {
        fixture.load("m", ScriptedModule.tagging("T"), target);
        try (DriverFlow _ = fixture.tcp()) {
            assertEquals(matches ? FlowState.CUSTOMIZED : FlowState.UNMATCHED, fixture.runtime.flows().get(0).state);
        }
    }

    @Test
    void aNewTargetAppliesToFlowsOpenedAfterwardsWhileOpenFlowsKeepTheModule() {
        fixture.load("m", ScriptedModule.tagging("T"), "remote.port", "53");
        try (DriverFlow old = fixture.tcp()) {
            fixture.runtime.setParameters("m", java.util.Map.of("layer45.remote.port", "853"));
            assertEquals("Tx", text(old.send(bytes("x"))));
            try (DriverFlow dns = fixture.tcp();
                    DriverFlow dot = fixture.driver.open(InMemoryFlowDriver.flow(Transport.TCP, "dig",
                            RuntimeFixture.APP, "10.0.0.2:853"))) {
                assertEquals("y", text(dns.send(bytes("y"))));
                assertEquals("Tz", text(dot.send(bytes("z"))));
            }
        }
    }

    @Test
    void aClosedFlowReleasesItsModulesAndKeepsItsCountsInTheModuleTotals() {
        fixture.load("m", ScriptedModule.tagging("T"));
        try (DriverFlow flow = fixture.tcp()) {
            flow.send(bytes("abc"));
            assertEquals(1, fixture.runtime.module("m").usedBy);
        }
        var m = fixture.runtime.module("m");
        assertEquals(0, m.usedBy);
        assertEquals(1, m.send.chunks);
        assertEquals(3, m.send.bytesIn);
        assertEquals(4, m.send.bytesOut);
        assertEquals(0, fixture.runtime.flows().size());
        assertEquals(3, fixture.runtime.stats().send.bytesIn);
    }
}
