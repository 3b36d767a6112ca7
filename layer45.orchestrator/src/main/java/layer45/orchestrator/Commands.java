package layer45.orchestrator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import layer45.agent.protocol.Op;
import layer45.agent.protocol.Topics;

/**
 * What each orchestrator command does and prints, for the command line ({@link Main}) and the shell
 * ({@link OrchestratorComponent}) alike: {@code device add}, {@code devices} and {@code status} read and write the
 * CIB; the commands to devices record themselves in the CIB, publish, wait for the acks and print each device's
 * result. Where the connected {@link Orchestrator} comes from is the caller's {@link Broker}.
 */
final class Commands {

    /** A command to devices, run with a connected orchestrator. */
    @FunctionalInterface
    interface Issuing {
        /**
         * @param orchestrator connected to the broker
         * @param connecting what connecting took, for the summary line: "" when it was connected already
         * @return the exit status
         */
        int run(Orchestrator orchestrator, String connecting) throws Exception;
    }

    /** Gives a command to devices a connected orchestrator: one for this command, or one that stays connected. */
    @FunctionalInterface
    interface Broker {
        /** @return what {@code issuing} returned */
        int with(Issuing issuing) throws Exception;
    }

    /** Every command's synopsis (after the command), for errors; the commands to devices take a TARGET. */
    static final Map<String, String> SYNOPSES = synopses();

    /** What TARGET is. */
    static final String TARGET_HELP = "TARGET is --device ID, --group NAME or --all";

    /** The results that count as success: the exit status is 0 when every device answered one of them. */
    private static final List<String> SUCCESS = List.of("done", "already", "passed");

    private final Cib cib;
    private final Function<String, Path> files;
    private final PrintStream out;

    /**
     * @param cib the CIB
     * @param files resolves a jar's path as given (against the shell's current directory, or the process's)
     * @param out where tables go
     */
    Commands(Cib cib, Function<String, Path> files, PrintStream out) {
        this.cib = cib;
        this.files = files;
        this.out = out;
    }

    private static Map<String, String> synopses() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("device", "add ID... [--group G]...");
        map.put("devices", "");
        map.put("status", "[COMMAND_ID]");
        map.put("deploy", "JAR [--name NAME] TARGET [key=value...]");
        map.put("revoke", "NAME TARGET");
        map.put("deprecate", "MODULE TARGET");
        map.put("activate", "MODULE TARGET");
        map.put("deactivate", "MODULE TARGET");
        map.put("priority", "MODULE N TARGET");
        map.put("param", "MODULE TARGET key=value...");
        map.put("challenge", "NAME TARGET");
        map.put("report", "TARGET");
        return Collections.unmodifiableMap(map);
    }

    /** @return whether a command goes to devices (and takes a TARGET) */
    static boolean toDevices(String command) {
        return SYNOPSES.getOrDefault(command, "").contains("TARGET");
    }

    /**
     * Runs a command: {@code device add}, {@code devices}, {@code status} or one to devices.
     *
     * @param line the command
     * @param defaultWait how long a command to devices waits for the acks, unless {@code --wait} says
     * @param broker gives commands to devices a connected orchestrator
     * @return the exit status: 0 when every device answered done, already or passed, 1 otherwise
     * @throws IllegalArgumentException if the command is unknown or its operands are wrong; the message says how
     */
    int run(CommandLine line, Duration defaultWait, Broker broker) throws Exception {
        String command = line.command();
        switch (command) {
            case "device" -> {
                addDevices(line);
                return 0;
            }
            case "devices" -> {
                devices();
                return 0;
            }
            case "status" -> {
                print(cib.deliveries(line.words().size() > 1 ? line.operand() : null));
                return 0;
            }
            default -> {
                if (!toDevices(command)) {
                    throw new IllegalArgumentException("unknown command '" + command + "'");
                }
                String target = line.target();
                Duration wait = seconds(line, "wait", defaultWait);
                Sending sending = prepare(line, target); // operands are checked before connecting
                return broker.with((orchestrator, connecting) -> issue(orchestrator, sending, line, target, wait,
                        connecting));
            }
        }
    }

    /** A command to devices, checked and ready to go. */
    @FunctionalInterface
    private interface Sending {
        /** @return the command's id */
        String send(Orchestrator orchestrator) throws Exception;
    }

    private void addDevices(CommandLine line) throws Exception {
        if (line.words().size() < 3 || !line.operand().equals("add")) {
            throw new IllegalArgumentException("device " + SYNOPSES.get("device"));
        }
        List<String> groups = line.groups();
        for (String group : groups) {
            if (!Topics.validName(group)) {
                throw new IllegalArgumentException("a group is 1 to 64 letters, digits, '.', '_' or '-', not '"
                        + group + "'");
            }
        }
        for (String id : line.words().subList(2, line.words().size())) {
            if (!Topics.validName(id)) {
                throw new IllegalArgumentException("a device id is 1 to 64 letters, digits, '.', '_' or '-', not '"
                        + id + "'");
            }
            cib.device(id, groups);
            out.println("device " + id + " registered" + (groups.isEmpty() ? "" : " in " + groups));
        }
    }

    /** Prints every device: id, groups, status and when it was last seen. */
    void devices() throws Exception {
        for (Map<String, Object> d : cib.devices()) {
            long seen = ((Number) d.get("SEEN")).longValue();
            out.printf("%-20s %-24s %-8s %s%n", d.get("ID"), d.get("GROUPS_"), d.get("STATUS"),
                    seen == 0 ? "-" : Instant.ofEpochMilli(seen));
        }
    }

    private int issue(Orchestrator orchestrator, Sending sending, CommandLine line, String target, Duration wait,
            String connecting) throws Exception {
        long start = System.nanoTime();
        String id = sending.send(orchestrator);
        List<Cib.Delivery> deliveries = orchestrator.await(id, wait);
        long answered = System.nanoTime();
        print(deliveries);
        out.printf("%d of %d devices answered in %d ms%s%n",
                deliveries.stream().filter(d -> !d.result().equals("pending")).count(), deliveries.size(),
                (answered - start) / 1_000_000, connecting);
        if (line.command().equals("report")) {
            for (String device : cib.devicesOf(target)) {
                out.println(device + ": " + cib.latestReport(device));
            }
        }
        return deliveries.stream().allMatch(d -> SUCCESS.contains(d.result())) ? 0 : 1;
    }

    private Sending prepare(CommandLine line, String target) {
        String command = line.command();
        List<String> words = line.words();
        int operands = command.equals("report") ? 1 : command.equals("priority") || command.equals("param") ? 3 : 2;
        if (words.size() < operands) {
            throw new IllegalArgumentException(command + " " + SYNOPSES.get(command));
        }
        String name = line.operand();
        return switch (command) {
            case "deploy" -> {
                Path jar = files.apply(name);
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("there is no jar at " + jar);
                }
                String file = jar.getFileName().toString();
                String jarName = line.option("name", file.endsWith(".jar") ? file.substring(0, file.length() - 4)
                        : file);
                byte[] bytes = read(jar);
                Map<String, String> params = keyValues(words.subList(2, words.size()));
                yield orchestrator -> orchestrator.deploy(jarName, bytes, target, params);
            }
            case "revoke" -> orchestrator -> orchestrator.issue(Op.REVOKE, target, "jar", name);
            case "deprecate", "activate", "deactivate" -> orchestrator -> orchestrator.issue(Op.valueOf(
                    command.toUpperCase(Locale.ROOT)), target, "module", name);
            case "priority" -> {
                long priority = number(words.get(2), "priority MODULE N: N is a whole number");
                yield orchestrator -> orchestrator.issue(Op.PRIORITY, target, "module", name, "priority", priority);
            }
            case "param" -> {
                Map<String, String> params = keyValues(words.subList(2, words.size()));
                yield orchestrator -> orchestrator.issue(Op.PARAM, target, "module", name, "params",
                        new LinkedHashMap<>(params));
            }
            case "challenge" -> orchestrator -> orchestrator.challenge(name, target);
            case "report" -> orchestrator -> orchestrator.issue(Op.REPORT, target);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
    }

    private static byte[] read(Path jar) {
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the jar " + jar + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> keyValues(List<String> args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("parameters are key=value, not '" + arg + "'");
            }
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return map;
    }

    /**
     * @param text a whole number as typed
     * @param what what it is, for the error
     * @return the number
     */
    static long number(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ", not '" + text + "'", e);
        }
    }

    /**
     * @param line a command line
     * @param option an option that takes seconds
     * @param otherwise its default
     * @return its value
     */
    static Duration seconds(CommandLine line, String option, Duration otherwise) {
        String text = line.option(option, null);
        long seconds = text == null ? otherwise.toSeconds() : number(text, "--" + option + " takes seconds");
        if (seconds < 0) {
            throw new IllegalArgumentException("--" + option + " takes seconds, 0 or more, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** Prints the rollout table: each command's result on each device. */
    void print(List<Cib.Delivery> deliveries) {
        out.printf("%-48s %-10s %-16s %-12s %-9s %s%n", "Command", "Op", "Target", "Device", "Result", "Reason");
        for (Cib.Delivery d : deliveries) {
            out.printf("%-48s %-10s %-16s %-12s %-9s %s%n", d.command(), d.op(), d.target(), d.device(), d.result(),
                    d.reason());
        }
    }
}
