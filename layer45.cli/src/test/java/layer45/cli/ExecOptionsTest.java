package layer45.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How {@code exec}'s options become the runtime's attach command, and what a mistyped option says. */
class ExecOptionsTest {

    @Test
    void withoutOptionsANewNamespaceNamedAfterThePidIsCreated() throws CliException {
        ExecOptions options = ExecOptions.parse(List.of("--", "ping", "-c1", "10.45.0.1"));
        String name = "l45-" + ProcessHandle.current().pid();
        assertEquals(name, options.namespace());
        assertEquals("l45:attach --hold --create '" + name + "'", options.attachLine());
        assertEquals(List.of("ping", "-c1", "10.45.0.1"), options.command());
    }

    @Test
    void theCommandMayStartWithoutTheDoubleDash() throws CliException {
        assertEquals(List.of("bash", "-c", "true"), ExecOptions.parse(List.of("bash", "-c", "true")).command());
    }

    @Test
    void joiningAndForwardsAreAskedForQuoted() throws CliException {
        ExecOptions options = ExecOptions.parse(List.of("--netns", "web", "--join", "--forward", "tcp:8080:80",
                "--forward", "udp:[::1]:5353:53", "--socket", "/tmp/l45.sock", "--", "nginx"));
        assertEquals("l45:attach --hold --forward 'tcp:8080:80' --forward 'udp:[::1]:5353:53' 'web'",
                options.attachLine());
        assertEquals(Path.of("/tmp/l45.sock"), options.socket());
        assertTrue(options.join());
    }

    @Test
    void mistakesSayWhatToType() {
        assertEquals("exec needs a command to run, such as: exec -- ping -c1 10.45.0.1",
                assertThrows(CliException.class, () -> ExecOptions.parse(List.of("--netns", "x"))).getMessage());
        assertEquals("--join joins an existing namespace: name it with --netns NAME",
                assertThrows(CliException.class, () -> ExecOptions.parse(List.of("--join", "true"))).getMessage());
        assertEquals("--forward needs a value: --forward SPEC, such as tcp:8080:80",
                assertThrows(CliException.class, () -> ExecOptions.parse(List.of("--forward"))).getMessage());
        assertTrue(assertThrows(CliException.class, () -> ExecOptions.parse(List.of("--bogus", "true")))
                .getMessage().startsWith("unknown option '--bogus' for exec"));
    }

    @Test
    void aValueThatWouldBreakOutOfItsQuotesIsRefused() {
        CliException e = assertThrows(CliException.class,
                () -> ExecOptions.parse(List.of("--netns", "x'; l45:rmmod -f y; '", "--", "true")));
        assertTrue(e.getMessage().contains("must not be empty or hold quotes"), e.getMessage());
        assertThrows(CliException.class, () -> ExecOptions.parse(List.of("--forward", "tcp:1:2\\", "true")));
    }
}
