package layer45.mnet.phy.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProcessCommandRunnerTest {

    private final CommandRunner runner = CommandRunner.processes();

    @Test
    void collectsExitCodeAndBothOutputs() {
        CommandResult result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                Duration.ofSeconds(10));
        assertEquals(3, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        CommandFailedException failure = assertThrows(CommandFailedException.class, result::requireSuccess);
        assertEquals("`sh -c echo out; echo err >&2; exit 3` failed with exit code 3: err", failure.getMessage());
    }

    @Test
    void killsACommandThatRunsTooLong() {
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> runner.run(List.of("sh", "-c", "echo started >&2; sleep 30"), Duration.ofMillis(300)));
        assertTrue(failure.getMessage().startsWith("`sh -c echo started >&2; sleep 30` did not finish within 300 ms "
                + "and was killed"), failure.getMessage());
    }

    @Test
    void saysWhenACommandCannotStart() {
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> runner.run(List.of("/nonexistent/l45-no-such-program"), Duration.ofSeconds(5)));
        assertTrue(failure.getMessage().startsWith("cannot start `/nonexistent/l45-no-such-program`"),
                failure.getMessage());
    }

    @Test
    void findsTheIpCommand() {
        assertTrue(ProcessCommandRunner.ip().endsWith("/ip"), ProcessCommandRunner.ip());
    }
}
