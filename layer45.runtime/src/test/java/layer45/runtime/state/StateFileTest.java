package layer45.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import layer45.runtime.OperatorState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module state file: what an operator set is read back after a restart, per module and bundle. */
class StateFileTest {

    @TempDir
    Path dir;

    @Test
    void whatAnOperatorSetIsReadBackByTheNextRuntime() {
        Path file = dir.resolve("state/modules.state");
        StateFile state = StateFile.open(file);
        state.runtimeParameters("dns-tag", "dns-tag.bundle", Map.of("layer45.active", false, "layer45.priority", 7));
        state.ownParameters("dns-tag", "dns-tag.bundle", Map.of("start.tag", "[[ with = and spaces"));
        state.runtimeParameters("odd.name:x", "other", Map.of("layer45.deprecated", true));

        OperatorState.Saved saved = StateFile.open(file).saved("dns-tag").orElseThrow();
        assertEquals("dns-tag.bundle", saved.bundle());
        assertEquals(Map.of("layer45.active", "false", "layer45.priority", "7"), saved.runtimeParameters());
        assertEquals(Map.of("start.tag", "[[ with = and spaces"), saved.ownParameters());
        assertEquals(Map.of("layer45.deprecated", "true"),
                StateFile.open(file).saved("odd.name:x").orElseThrow().runtimeParameters());
        assertTrue(saved.appliesTo("dns-tag.bundle"));
        assertFalse(saved.appliesTo("another.bundle"), "another bundle reusing the name starts afresh");
        assertFalse(Files.exists(file.resolveSibling("modules.state.new")), "the temporary file was renamed");
    }

    @Test
    void rmmodForgetsAndAnOwnParameterSetToNothingGoes() {
        Path file = dir.resolve("modules.state");
        StateFile state = StateFile.open(file);
        state.runtimeParameters("xor", "xor", Map.of("layer45.priority", 3));
        Map<String, Object> removal = new HashMap<>();
        removal.put("key", null);
        state.ownParameters("xor", "xor", Map.of("key", "abc"));
        state.ownParameters("xor", "xor", removal);
        assertEquals(Map.of(), StateFile.open(file).saved("xor").orElseThrow().ownParameters());
        state.forget("xor");
        assertTrue(StateFile.open(file).saved("xor").isEmpty());
    }

    @Test
    void anUnreadableFileStartsEmptyAndIsReplacedAtTheNextChange() throws Exception {
        Path file = dir.resolve("modules.state");
        Files.writeString(file, "broken\\u12");
        StateFile state = StateFile.open(file);
        assertTrue(state.saved("broken").isEmpty());
        state.runtimeParameters("pace", "pace", Map.of("layer45.active", true));
        assertEquals("pace", StateFile.open(file).saved("pace").orElseThrow().bundle());
    }
}
