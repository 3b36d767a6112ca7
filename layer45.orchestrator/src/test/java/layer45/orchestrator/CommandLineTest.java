package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The command line's words, options and target, as both the command line and the shell read them. */
class CommandLineTest {

    @Test
    void optionsGoAnywhereAndTheRestAreWords() {
        CommandLine line = CommandLine.parse(List.of("--db", "jdbc:h2:mem:x", "deploy", "a.jar", "--device", "d1",
                "layer45.priority=7", "--wait", "5"));
        assertEquals(List.of("deploy", "a.jar", "layer45.priority=7"), line.words());
        assertEquals("deploy", line.command());
        assertEquals("a.jar", line.operand());
        assertEquals("device:d1", line.target());
        assertEquals("5", line.option("wait", "30"));
        assertEquals(List.of("db"), line.connectionOptions());
    }

    @Test
    void deviceAddTakesSeveralGroupsButACommandOneTarget() {
        CommandLine line = CommandLine.parse(List.of("device", "add", "d1", "--group", "lab", "--group", "edge"));
        assertEquals(List.of("lab", "edge"), line.groups());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, line::target);
        assertTrue(e.getMessage().contains("give one target"), e.getMessage());
        assertEquals("all", CommandLine.parse(List.of("report", "--all")).target());
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("report")).target());
    }

    @Test
    void anUnknownOptionIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(List.of("report", "--devcie", "d1")));
        assertTrue(e.getMessage().contains("there is no option --devcie") && e.getMessage().contains("--device"),
                e.getMessage());
    }
}
