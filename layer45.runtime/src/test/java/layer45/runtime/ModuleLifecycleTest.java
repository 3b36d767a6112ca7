package layer45.runtime;

import static layer45.runtime.RuntimeFixture.bytes;
import static layer45.runtime.RuntimeFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleState;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every transition of a module's life (LOADING, LIVE, DEPRECATED, UNLOADING) and the active flag. */
class ModuleLifecycleTest {

    private final RuntimeFixture fixture = new RuntimeFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A starting point: the module in a state, with or without a flow attached. */
    enum Start {
        LIVE, LIVE_IN_USE, DEPRECATED, DEPRECATED_IN_USE
    }

    record Transition(Start from, String action, Consumer<Layer45Runtime> act, ModuleState expected,
            ErrorCode error) {
        @Override
        public String toString() {
            return from + " --" + action + "--> " + (error != null ? error : expected == null ? "gone" : expected);
        }
    }

    static Stream<Arguments> transitions() {
        return Stream.of(
                new Transition(Start.LIVE, "deprecate", r -> r.deprecate("m"), ModuleState.DEPRECATED, null),
                new Transition(Start.LIVE_IN_USE, "deprecate", r -> r.deprecate("m"), ModuleState.DEPRECATED, null),
                new Transition(Start.DEPRECATED, "deprecate", r -> r.deprecate("m"), ModuleState.DEPRECATED, null),
                new Transition(Start.LIVE, "unload", r -> r.unload("m", false), null, null),
                new Transition(Start.LIVE_IN_USE, "unload", r -> r.unload("m", false), ModuleState.LIVE,
                        ErrorCode.MODULE_IN_USE),
                new Transition(Start.LIVE_IN_USE, "unload -f", r -> r.unload("m", true), null, null),
                new Transition(Start.DEPRECATED, "unload", r -> r.unload("m", false), null, null),
                new Transition(Start.DEPRECATED_IN_USE, "unload", r -> r.unload("m", false), ModuleState.DEPRECATED,
                        ErrorCode.MODULE_IN_USE),
                new Transition(Start.DEPRECATED_IN_USE, "unload -f", r -> r.unload("m", true), null, null),
                new Transition(Start.LIVE, "deactivate", r -> r.setActive("m", false), ModuleState.LIVE, null),
                new Transition(Start.DEPRECATED, "deactivate", r -> r.setActive("m", false), ModuleState.DEPRECATED,
                        null),
                new Transition(Start.LIVE, "priority 70000", r -> r.setPriority("m", 70000), ModuleState.LIVE,
                        ErrorCode.INVALID_PARAMETER),
                new Transition(Start.LIVE, "unknown parameter", r -> r.setParameters("m", Map.of("layer45.x", 1)),
                        ModuleState.LIVE, ErrorCode.INVALID_PARAMETER))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void transitionsFollowTheStateDiagram(Transition t) {
        fixture.load("m", ScriptedModule.tagging("T"));
        DriverFlow flow = t.from() == Start.LIVE_IN_USE || t.from() == Start.DEPRECATED_IN_USE ? fixture.tcp() : null;
        if (t.from() == Start.DEPRECATED || t.from() == Start.DEPRECATED_IN_USE) {
            fixture.runtime.deprecate("m");
        }
        if (t.error() != null) {
            Layer45Exception e = assertThrows(Layer45Exception.class, () -> t.act().accept(fixture.runtime));
            assertEquals(t.error(), e.code());
        } else {
            t.act().accept(fixture.runtime);
        }
        List<String> names = fixture.runtime.modules().stream().map(m -> m.name).toList();
        if (t.expected() == null) {
            assertEquals(List.of(), names);
            if (flow != null) {
                assertEquals("still flowing", text(flow.send(bytes("still flowing"))),
                        "a forced unload lets the flow go on uncustomized");
            }
        } else {
            assertEquals(t.expected(), fixture.runtime.module("m").state);
        }
        if (flow != null) {
            flow.close();
        }
    }

    @Test
    void aModuleIsLoadingUntilCheckedThenLive() {
        Module m = fixture.load("m", ScriptedModule.tagging("T"));
        assertEquals(ModuleState.LIVE, m.state());
        assertTrue(fixture.runtime.module("m").loadedAt > 0);
    }

    @Test
    void aModuleThatLeavesWhileUnloadingCannotBeChanged() {
        Module m = fixture.load("m", ScriptedModule.tagging("T"));
        fixture.runtime.serviceGone(m);
        assertEquals(ModuleState.UNLOADING, m.state());
        for (Consumer<Layer45Runtime> action : List.<Consumer<Layer45Runtime>>of(r -> r.setActive("m", true),
                r -> r.deprecate("m"), r -> r.setPriority("m", 1))) {
            Layer45Exception e = assertThrows(Layer45Exception.class, () -> action.accept(fixture.runtime));
            assertEquals(ErrorCode.UNKNOWN_MODULE, e.code(), "an unloaded module is gone");
        }
    }

    @Test
    void anOperatorsDeprecationSurvivesTheModuleComingBack() throws Exception {
        Module first = fixture.load("m", ScriptedModule.tagging("T"));
        fixture.runtime.deprecate("m");
        fixture.runtime.serviceGone(first); // its bundle restarts, say
        fixture.runtime.load("m", ScriptedModule.tagging("T"), RuntimeFixture.props(), ModuleOrigin.NONE);
        assertEquals(ModuleState.DEPRECATED, fixture.runtime.module("m").state);
    }

    @Test
    void anExplicitUnloadForgetsTheOperatorsParameters() throws Exception {
        fixture.load("m", ScriptedModule.tagging("T"));
        fixture.runtime.setPriority("m", 7);
        fixture.runtime.unload("m", false);
        fixture.runtime.load("m", ScriptedModule.tagging("T"), RuntimeFixture.props(), ModuleOrigin.NONE);
        assertEquals(1000, fixture.runtime.module("m").priority);
    }

    @Test
    void aSecondModuleWithTheSameNameIsRefused() {
        fixture.load("m", ScriptedModule.tagging("T"));
        var e = assertThrows(layer45.runtime.module.ModuleRefusedException.class,
                () -> fixture.runtime.load("m", ScriptedModule.tagging("U"), RuntimeFixture.props(), ModuleOrigin.NONE));
        assertTrue(e.refusal().reason().contains("already loaded"), e.refusal().reason());
    }

    @Test
    void unknownModulesAreReportedByName() {
        Layer45Exception e = assertThrows(Layer45Exception.class, () -> fixture.runtime.module("nope"));
        assertEquals(ErrorCode.UNKNOWN_MODULE, e.code());
        assertTrue(e.getMessage().contains("'nope'"));
    }
}
