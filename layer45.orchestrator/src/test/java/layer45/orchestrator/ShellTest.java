package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The commands as the shell runs them: the same text, errors with their usage, the shell's own connection. */
class ShellTest {

    private Cib cib;
    private Shell shell;

    @BeforeEach
    void open() throws Exception {
        cib = new Cib("jdbc:h2:mem:shell-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        shell = new Shell(cib, () -> {
            throw new IllegalStateException("the orchestrator is not connected to the broker tcp://x yet");
        }, Duration.ofSeconds(1));
    }

    @AfterEach
    void close() throws Exception {
        cib.close();
    }

    private String refused(String command, String... args) {
        return assertThrows(IllegalArgumentException.class, () -> shell.run(command, args)).getMessage();
    }

    @Test
    void commandsPrintWhatTheCommandLinePrints() throws Exception {
        assertEquals("device d1 registered in [lab]", shell.run("device", "add", "d1", "--group", "lab"));
        assertEquals("d1                   lab                      unknown  -", shell.run("devices"));
        assertTrue(shell.run("status").startsWith("Command "));
    }

    @Test
    void errorsEndWithTheCommandsUsage() {
        assertEquals("revoke NAME TARGET; usage: nco:revoke NAME TARGET (TARGET is --device ID, --group NAME or"
                + " --all)", refused("revoke", "--all"));
        assertTrue(refused("device", "list").endsWith("; usage: nco:device add ID... [--group G]..."));
    }

    @Test
    void theConnectionIsTheComponentsOwn() {
        String message = refused("devices", "--broker", "tcp://elsewhere:1883", "--db", "jdbc:h2:mem:other");
        assertTrue(message.contains("orchestrator.* in conf/layer45.conf") && message.contains("leave out --broker,"
                + " --db"), message);
    }

    @Test
    void aNameL45HasTooSaysWhichIsWhichWithoutATarget() {
        String message = refused("deactivate", "echo-tag-client");
        assertTrue(message.contains("for this runtime's own modules, type l45:deactivate"), message);
    }

    @Test
    void aCommandToDevicesSaysWhyTheBrokerIsNotThere() throws Exception {
        cib.device("d1", java.util.List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> shell.run("report", "--all"));
        assertTrue(e.getMessage().contains("not connected to the broker"), e.getMessage());
    }
}
