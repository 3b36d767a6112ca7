package layer45.orchestrator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The orchestrator's commands as the shell runs them ({@code nco:deploy ...}): the command line's words and
 * options, run by {@link Commands} with the orchestrator that stays connected, the printed tables returned as text.
 * The connection is the component's configuration, so the command line's connection options are refused.
 */
final class Shell {

    /**
     * Commands that {@code l45} has too, for this runtime's own modules. The control socket's sessions find
     * {@code l45}'s for an unscoped name (their SCOPE is {@code l45:*}); another Gogo session may find either.
     */
    static final Set<String> SHARED_WITH_L45 = Set.of("activate", "deactivate", "deprecate", "priority", "param");

    private final Cib cib;
    private final Supplier<Orchestrator> orchestrator;
    private final Duration wait;

    /**
     * @param cib the CIB
     * @param orchestrator the connected orchestrator; throws {@link IllegalStateException} saying why there is none
     * @param wait how long a command waits for the acks unless {@code --wait} says
     */
    Shell(Cib cib, Supplier<Orchestrator> orchestrator, Duration wait) {
        this.cib = cib;
        this.orchestrator = orchestrator;
        this.wait = wait;
    }

    /**
     * Runs a command whose paths are taken from the process's working directory.
     *
     * @param command the command
     * @param args its operands and options
     * @return what it prints
     */
    String run(String command, String... args) throws Exception {
        return run(Path.of("").toAbsolutePath(), command, args);
    }

    /**
     * Runs a command.
     *
     * @param directory where a relative jar path is taken from
     * @param command the command
     * @param args its operands and options, as typed
     * @return what it prints
     * @throws IllegalArgumentException if the command is wrong; the message says how to type it
     * @throws IllegalStateException if the broker cannot be reached now
     */
    String run(Path directory, String command, String... args) throws Exception {
        List<String> words = new ArrayList<>();
        words.add(command);
        if (args != null) {
            words.addAll(List.of(args));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            CommandLine line = CommandLine.parse(words);
            if (!line.connectionOptions().isEmpty()) {
                throw new IllegalArgumentException("the shell's orchestrator has its own connection (orchestrator.*"
                        + " in conf/layer45.conf, or PID layer45.orchestrator): leave out --"
                        + String.join(", --", line.connectionOptions()));
            }
            if (SHARED_WITH_L45.contains(command) && !line.options().containsKey(CommandLine.TARGET)) {
                throw new IllegalArgumentException("nco:" + command + " changes modules on devices and needs a"
                        + " target: --device ID, --group NAME or --all; for this runtime's own modules, type l45:"
                        + command);
            }
            new Commands(cib, path -> directory.resolve(path), out).run(line, wait, issuing -> {
                try {
                    return issuing.run(orchestrator.get(), "");
                } catch (MqttException e) {
                    throw new IllegalStateException("the broker connection failed (" + e.getMessage() + "); Paho"
                            + " reconnects on its own, 'nco:info' shows when, and the devices that did not get the"
                            + " command (pending in 'nco:status') get it when they are seen online", e);
                }
            });
        } catch (IllegalArgumentException e) {
            String synopsis = Commands.SYNOPSES.get(command);
            throw new IllegalArgumentException(e.getMessage() + (synopsis == null ? "" : "; usage: nco:" + command
                    + (synopsis.isEmpty() ? "" : " " + synopsis) + (Commands.toDevices(command) ? " (" + Commands.TARGET_HELP
                            + ")" : "")), e);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
