package layer45.agent.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A device's desired state: what it keeps of the history, in which order, and how it reads and writes. */
class DesiredStateTest {

    private static List<String> ids(DesiredState state) {
        return state.commands().stream().map(Command::id).toList();
    }

    @Test
    void laterCommandsOnTheSameThingSupersedeEarlierOnesAndTheOrderIsKept() {
        List<Command> history = List.of(
                Command.of("i1", Op.INSTALL, "jar", "tag", "sha256", "aa", "bytes", "AA=="),
                Command.of("d1", Op.DEACTIVATE, "module", "tag-client"),
                Command.of("p1", Op.PRIORITY, "module", "tag-client", "priority", 3L),
                Command.of("r1", Op.REPORT),
                Command.of("x1", Op.INSTALL, "jar", "other", "sha256", "bb", "bytes", "Ag=="),
                Command.of("a1", Op.ACTIVATE, "module", "tag-client"),
                Command.of("c1", Op.CHALLENGE, "jar", "tag", "nonce", "00"),
                Command.of("i2", Op.INSTALL, "jar", "tag", "sha256", "cc", "bytes", "AQ=="),
                Command.of("v1", Op.REVOKE, "jar", "other"),
                Command.of("p2", Op.PRIORITY, "module", "tag-server", "priority", 4L));
        DesiredState state = DesiredState.of("dev1", 42, history);
        assertEquals(List.of("p1", "a1", "i2", "v1", "p2"), ids(state),
                "the newest of each kind per jar or module, in the order issued; no reports or challenges");
    }

    @Test
    void parametersSupersedeOnlyTheSameKeys() {
        List<Command> history = List.of(
                Command.of("p1", Op.PARAM, "module", "m", "params", Map.of("a", "1")),
                Command.of("p2", Op.PARAM, "module", "m", "params", Map.of("b", "2")),
                Command.of("p3", Op.PARAM, "module", "m", "params", Map.of("a", "3")),
                Command.of("p4", Op.DEPRECATE, "module", "m"),
                Command.of("p5", Op.DEPRECATE, "module", "m"));
        assertEquals(List.of("p2", "p3", "p5"), ids(DesiredState.of("dev1", 1, history)));
    }

    @Test
    void aVeryLongHistoryKeepsItsNewestCommands() {
        List<Command> history = new ArrayList<>();
        for (int i = 0; i < DesiredState.MAX_COMMANDS + 10; i++) {
            history.add(Command.of("p" + i, Op.PARAM, "module", "m" + i, "params", Map.of("a", "1")));
        }
        List<String> ids = ids(DesiredState.of("dev1", 1, history));
        assertEquals(DesiredState.MAX_COMMANDS, ids.size());
        assertEquals("p10", ids.getFirst());
    }

    @Test
    void itIsWrittenAndReadBack() throws MalformedMessage {
        DesiredState state = DesiredState.of("dev-1.a", 1732270000123L, List.of(
                Command.of("i1", Op.INSTALL, "jar", "tag", "sha256", "aa", "bytes", "AA==", "params",
                        Map.of("layer45.priority", "7")),
                Command.of("d1", Op.DEACTIVATE, "module", "tag-client")));
        DesiredState read = DesiredState.decode(state.encode());
        assertEquals(state.device(), read.device());
        assertEquals(state.version(), read.version());
        assertEquals(ids(state), ids(read));
        assertEquals(state.commands().getFirst().fields(), read.commands().getFirst().fields());
    }

    @Test
    void whatIsNotADesiredStateIsRefusedWithWhatIsWrong() {
        assertTrue(refusal("[]").contains("JSON object"));
        assertTrue(refusal("{\"version\":1,\"commands\":[]}").contains("the device"));
        assertTrue(refusal("{\"device\":\"../x\",\"version\":1,\"commands\":[]}").contains("the device"));
        assertTrue(refusal("{\"device\":\"d\",\"commands\":[]}").contains("no version"));
        assertTrue(refusal("{\"device\":\"d\",\"version\":1,\"commands\":{}}").contains("list"));
        assertTrue(refusal("{\"device\":\"d\",\"version\":1,\"commands\":[3]}").contains("JSON object"));
        assertTrue(refusal("{\"device\":\"d\",\"version\":1,\"commands\":[{\"id\":\"x\",\"op\":\"fly\"}]}")
                .contains("unknown op"));
    }

    private static String refusal(String json) {
        return assertThrows(MalformedMessage.class, () -> DesiredState.decode(json.getBytes(StandardCharsets.UTF_8)))
                .getMessage();
    }
}
