package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands both the command line and the shell run: what they print, and what they refuse before connecting. */
class CommandsTest {

    /** A broker that must not be reached: the command is wrong before it would connect. */
    private static final Commands.Broker UNREACHED = issuing -> {
        throw new AssertionError("connected for a command that is wrong");
    };

    @TempDir
    Path folder;

    private Cib cib;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Commands commands;

    @BeforeEach
    void open() throws Exception {
        cib = new Cib("jdbc:h2:mem:commands-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        commands = new Commands(cib, folder::resolve, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() throws Exception {
        cib.close();
    }

    private String run(String... args) throws Exception {
        bytes.reset();
        assertEquals(0, commands.run(CommandLine.parse(List.of(args)), Duration.ofSeconds(1), UNREACHED));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> commands.run(CommandLine.parse(List.of(args)),
                Duration.ofSeconds(1), UNREACHED)).getMessage();
    }

    @Test
    void devicesAreRegisteredAndListedWithoutABroker() throws Exception {
        assertEquals("device d1 registered in [lab]\ndevice d2 registered in [lab]\n",
                run("device", "add", "d1", "d2", "--group", "lab"));
        assertEquals("device d3 registered\n", run("device", "add", "d3"));
        assertEquals("""
                d1                   lab                      unknown  -
                d2                   lab                      unknown  -
                d3                                            unknown  -
                """, run("devices"));
    }

    @Test
    void statusPrintsTheRolloutTable() throws Exception {
        cib.device("d1", List.of());
        cib.command("report-1", "report", "device:d1", new byte[] { '{', '}' }, List.of("d1"), null);
        cib.ack("report-1", "d1", "done", "", 5);
        String table = run("status");
        assertTrue(table.startsWith("Command                                          Op         Target"), table);
        assertTrue(table.contains("report-1                                         report     device:d1        d1"
                + "           done"), table);
        assertEquals(table, run("status", "report-1"));
        assertEquals(1, run("status", "other").lines().count(), "the header only");
    }

    @Test
    void wrongCommandsAreRefusedBeforeConnecting() {
        assertTrue(refused("device", "add").contains("device add ID..."));
        assertTrue(refused("device", "add", "bad/id").contains("not 'bad/id'"));
        assertTrue(refused("device", "add", "d1", "--group", "a+b").contains("not 'a+b'"));
        assertTrue(refused("deploy", "missing.jar", "--device", "d1").contains("there is no jar at "
                + folder.resolve("missing.jar")));
        assertTrue(refused("deploy", "--device", "d1").contains("deploy JAR [--name NAME] TARGET"));
        assertTrue(refused("priority", "m", "high", "--all").contains("N is a whole number, not 'high'"));
        assertTrue(refused("param", "m", "oops", "--all").contains("parameters are key=value, not 'oops'"));
        assertTrue(refused("revoke", "echo-tag").contains("give one target"));
        assertTrue(refused("report", "--all", "--wait", "soon").contains("--wait takes seconds"));
        assertTrue(refused("watch", "--all").contains("unknown command 'watch'"));
    }

    @Test
    void aCommandToDevicesGetsItsOrchestratorFromTheBroker() throws Exception {
        java.nio.file.Files.write(folder.resolve("m.jar"), new byte[] { 1 });
        int[] asked = { 0 };
        int status = commands.run(CommandLine.parse(List.of("deploy", "m.jar", "--all")), Duration.ofSeconds(1),
                issuing -> ++asked[0] + 6);
        assertEquals(7, status, "what the broker's work returned");
        assertEquals(1, asked[0]);
    }
}
