package layer45.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import layer45.cli.protocol.Frame;
import layer45.cli.protocol.FrameType;
import layer45.cli.protocol.SocketPaths;

/**
 * {@code exec}: runs a command in a network namespace wired to the runtime's stack, for as long as the command runs.
 *
 * <p>The client asks the runtime for {@code l45:attach --hold} over the control socket and waits for the line that
 * says the namespace is ready; then it runs {@code ip netns exec NAME CMD ARGS...} with its own standard streams
 * ({@code ip netns exec} also bind-mounts {@code /etc/netns/NAME/resolv.conf}, which the stack writes). When the
 * command ends, the client ends its input on the connection, the runtime detaches the namespace and the client
 * exits once the runtime confirmed it; the runtime detaches it too when the client dies. The command's exit status is the client's (128 + the signal's number when a signal killed it).
 *
 * <p>Signals: SIGTERM and SIGHUP sent to the client are passed on to the command, and the client waits for it.
 * Ctrl-C on a terminal reaches the command from the terminal itself (it is in the client's process group), so the
 * client only waits; a SIGINT sent to the client alone, with no terminal, is passed on. Before the command started,
 * any of them ends the client, and the runtime detaches the namespace.
 */
final class ExecCommand {

    /** How long the client waits for the runtime to confirm the detach once the command has ended. */
    private static final Duration DETACH_WAIT = Duration.ofSeconds(10);

    private final ExecOptions options;
    private final PrintStream err;
    private final Object lock = new Object();
    private Process child;
    private volatile boolean closing;

    /**
     * @param options what to run, and where
     * @param err where the client's own messages go
     */
    ExecCommand(ExecOptions options, PrintStream err) {
        this.options = options;
        this.err = err;
    }

    /**
     * @return the command's exit status
     * @throws CliException if the client is not root, no runtime listens, the attach was refused, or {@code ip}
     *         cannot be started
     */
    int run() throws CliException {
        if (!SocketPaths.runningAsRoot()) {
            throw new CliException("exec needs root: it wires a network namespace and enters it (ip netns exec);"
                    + " run it with sudo, as in: sudo ./layer45 exec -- " + String.join(" ", options.command()));
        }
        String name = options.namespace();
        ControlClient client;
        try {
            client = ControlClient.connect(options.socket());
        } catch (IOException e) {
            throw CliException.of(e);
        }
        try (client) {
            client.send(options.attachLine(), null);
            err.println("layer45: " + awaitAttached(client, name));
            installSignalRelays();
            Process process = start(name);
            Thread watcher = Thread.ofPlatform().daemon().name("layer45-attachment")
                    .start(() -> watch(client, name, process));
            int status = waitFor(process);
            closing = true;
            client.endInput(); // the end of the input ends the attachment: the runtime detaches the namespace
            if (!watcher.join(DETACH_WAIT)) {
                err.println("layer45: the runtime has not confirmed detaching " + name + " within "
                        + DETACH_WAIT.toSeconds() + " s; l45:netns in its shell shows whether it is still attached");
            }
            return status;
        } catch (IOException e) {
            throw new CliException("lost the connection to the runtime while attaching " + name + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CliException.STATUS;
        }
    }

    /** @return the runtime's line about the attached namespace, once it is ready */
    private static String awaitAttached(ControlClient client, String name) throws IOException, CliException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        for (Frame frame = client.next(); frame != null; frame = client.next()) {
            switch (frame.type()) {
                case STDOUT -> {
                    out.writeBytes(frame.payload());
                    String text = out.toString(StandardCharsets.UTF_8);
                    int end = text.indexOf('\n');
                    if (end >= 0) {
                        return text.substring(0, end);
                    }
                }
                case STDERR -> errors.writeBytes(frame.payload());
                case EXIT -> throw new CliException("the runtime refused to attach " + name + ": "
                        + reason(errors, out, frame.status()));
                default -> throw new IOException("unexpected " + frame);
            }
        }
        throw new CliException("the runtime closed the connection before attaching " + name + " (is it stopping?)");
    }

    private static String reason(ByteArrayOutputStream errors, ByteArrayOutputStream out, int status) {
        String text = (errors.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8)).strip();
        return text.isEmpty() ? "exit status " + status + ", no reason given" : text.replace("\n", "; ");
    }

    private Process start(String name) throws CliException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(options.command());
        synchronized (lock) {
            try {
                child = new ProcessBuilder(command).inheritIO().start();
                return child;
            } catch (IOException e) {
                throw new CliException("cannot run " + String.join(" ", command) + ": " + e.getMessage()
                        + "; ip comes with iproute2 (./layer45 deps --for start installs it)", e);
            }
        }
    }

    private static int waitFor(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true; // the command decides when it ends
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void installSignalRelays() {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        Signals.handle("TERM", () -> relay("TERM", 143));
        Signals.handle("HUP", () -> relay("HUP", 129));
        Signals.handle("INT", () -> {
            if (!terminal) {
                relay("INT", 130);
            }
        });
    }

    /** Passes a signal on to the command, or ends the client when there is none yet. */
    private void relay(String signal, int statusWithoutChild) {
        synchronized (lock) {
            if (child == null) {
                System.exit(statusWithoutChild); // the connection closes with the process: the runtime detaches
            }
            if (child.isAlive()) {
                try {
                    new ProcessBuilder("kill", "-s", signal, Long.toString(child.pid())).inheritIO().start();
                } catch (IOException e) {
                    err.println("layer45: cannot pass SIG" + signal + " on to the command (" + e.getMessage()
                            + "); ending it");
                    child.destroy();
                }
            }
        }
    }

    /**
     * Reads the runtime's last words on the attachment: its end once the command ended, or, while it still runs, an
     * end the user must hear of (the runtime stopped).
     */
    private void watch(ControlClient client, String name, Process process) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
            for (Frame frame = client.next(); frame != null; frame = client.next()) {
                if (frame.type() == FrameType.EXIT) {
                    break;
                }
                said.writeBytes(frame.payload());
            }
        } catch (IOException e) {
            // the connection broke: the attachment is over either way
        }
        if (!closing && process.isAlive()) {
            String text = said.toString(StandardCharsets.UTF_8).strip().replace("\n", "; ");
            err.println("layer45: the runtime ended the attachment of " + name + (text.isEmpty() ? "" : " (" + text
                    + ")") + "; the command runs on without a network");
        }
    }
}
