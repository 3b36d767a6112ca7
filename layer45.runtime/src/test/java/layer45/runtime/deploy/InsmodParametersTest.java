package layer45.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.Layer45Exception;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.ModuleHost;
import layer45.runtime.ParameterStore;
import layer45.runtime.config.RuntimeSettings;

import org.junit.jupiter.api.Test;

/** insmod's key=value parameters: sorted per module into the runtime's and the module's own, checked first. */
class InsmodParametersTest {

    private static final JarFacts FACTS = new JarFacts(new byte[0], "00", "echo-tag", "1.0.0", "[1.0,2)", List.of(
            new JarFacts.DeclaredComponent("echo-tag-client", "echo-tag-client"),
            new JarFacts.DeclaredComponent("echo-tag-server", "echo.server.config")), List.of());

    private static Map<String, String> params(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void shortAndLongRuntimeNamesGoToTheRuntimeOtherKeysToTheModulesOwnConfiguration() throws Exception {
        InsmodParameters parsed = InsmodParameters.parse(params("priority", "7", "layer45.active", "false",
                "echo-tag-server:remote.port", "7777", "start.tag", "[["), FACTS.moduleNames());
        ParameterStore store = ParameterStore.inMemory();
        Map<String, Map<String, Object>> configured = new HashMap<>();
        try (Layer45Runtime runtime = new Layer45Runtime(RuntimeSettings.DEFAULTS, store, ModuleHost.NONE)) {
            parsed.apply(runtime, (pid, properties) -> configured.put(pid, properties), FACTS);
        }
        assertEquals(Map.of("layer45.priority", "7", "layer45.active", "false"), store.load("echo-tag-client"));
        assertEquals(Map.of("layer45.priority", "7", "layer45.active", "false", "layer45.remote.port", "7777"),
                store.load("echo-tag-server"));
        assertEquals(Map.of("start.tag", "[["), configured.get("echo-tag-client"));
        assertEquals(Map.of("start.tag", "[["), configured.get("echo.server.config"), "by the component's PID");
    }

    @Test
    void mistakesAreReportedBeforeAnythingIsInstalled() {
        record Case(Map<String, String> parameters, List<String> modules, String says) {
        }
        for (Case c : List.of(
                new Case(params("nobody:priority", "1"), FACTS.moduleNames(), "has no module named 'nobody'"),
                new Case(params("remote.port", "70000"), FACTS.moduleNames(), "70000"),
                new Case(params("layer45.prioritee", "1"), FACTS.moduleNames(), "not a parameter of the runtime"),
                new Case(params("priority", "1"), List.of(), "declares no customization"),
                new Case(params("echo-tag-client:", "1"), FACTS.moduleNames(), "has no name"))) {
            Layer45Exception e = assertThrows(Layer45Exception.class,
                    () -> InsmodParameters.parse(c.parameters(), c.modules()), c.toString());
            assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
            assertTrue(e.getMessage().contains(c.says()), e.getMessage());
        }
    }

    @Test
    void runtimeNamesAreMappedOnlyWhenTheyAreTheRuntimes() {
        assertEquals("layer45.priority", InsmodParameters.runtimeName("priority"));
        assertEquals("layer45.remote.port", InsmodParameters.runtimeName("remote.port"));
        assertEquals("layer45.priority", InsmodParameters.runtimeName("layer45.priority"));
        assertEquals("start.tag", InsmodParameters.runtimeName("start.tag"));
    }

    @Test
    void aRefusedInsmodPutsBackWhatWasStoredBefore() throws Exception {
        ParameterStore store = ParameterStore.inMemory();
        store.store("echo-tag-client", Map.of("layer45.priority", "3"));
        try (Layer45Runtime runtime = new Layer45Runtime(RuntimeSettings.DEFAULTS, store, ModuleHost.NONE)) {
            var before = InsmodParameters.parse(params("echo-tag-client:priority", "9"), FACTS.moduleNames())
                    .apply(runtime, (pid, p) -> { }, FACTS);
            assertEquals(Map.of("layer45.priority", "9"), store.load("echo-tag-client"));
            InsmodParameters.restore(runtime, before);
            assertEquals(Map.of("layer45.priority", "3"), store.load("echo-tag-client"));
        }
    }
}
