package layer45.orchestrator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An orchestrator command as typed, on the command line ({@code ./layer45 orchestrate ...}) or in the shell
 * ({@code nco:...}): its words (the command, its operands and {@code key=value} parameters) and its options
 * ({@code --name value}). A target is {@code --device ID}, {@code --group NAME} or {@code --all}; several are kept
 * (comma-separated) for {@code device add}, which takes several groups.
 *
 * @param words the command and its operands, in order
 * @param options each option's value, by name without {@code --}; the target under {@value #TARGET}
 */
record CommandLine(List<String> words, Map<String, String> options) {

    /** The key of the target in {@link #options()}: {@code device:ID}, {@code group:NAME} or {@code all}. */
    static final String TARGET = "target";

    /** Options that say how to reach the CIB and the broker. */
    static final Set<String> CONNECTION = Set.of("db", "db-user", "db-password", "broker", "user", "password",
            "truststore", "truststore-password", "client-id");

    /** Options of single commands: the jar's name, how long to wait for acks, the watch loop. */
    static final Set<String> COMMAND = Set.of("name", "wait", "interval", "count");

    CommandLine {
        words = List.copyOf(words);
        options = Map.copyOf(options);
    }

    /**
     * @param args the arguments, options anywhere
     * @return the command line
     * @throws IllegalArgumentException for an option this tool does not have
     */
    static CommandLine parse(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--all")) {
                options.put(TARGET, "all");
            } else if (arg.startsWith("--") && i + 1 < args.size()) {
                String key = arg.substring(2);
                String value = args.get(++i);
                if (key.equals("device") || key.equals("group")) {
                    options.merge(TARGET, key + ":" + value, (a, b) -> a + "," + b);
                } else if (CONNECTION.contains(key) || COMMAND.contains(key)) {
                    options.put(key, value);
                } else {
                    throw new IllegalArgumentException("there is no option --" + key + "; options: --device,"
                            + " --group, --all, " + String.join(", ", COMMAND.stream().sorted().map(o -> "--" + o)
                                    .toList()) + " and the connection's");
                }
            } else {
                words.add(arg);
            }
        }
        return new CommandLine(words, options);
    }

    /** @return the command, or "" if none was given */
    String command() {
        return words.isEmpty() ? "" : words.getFirst();
    }

    /** @return the word after the command, or "" */
    String operand() {
        return words.size() > 1 ? words.get(1) : "";
    }

    /**
     * @param key an option's name
     * @param otherwise its default
     * @return its value
     */
    String option(String key, String otherwise) {
        return options.getOrDefault(key, otherwise);
    }

    /**
     * @return the one target of a command to devices
     * @throws IllegalArgumentException if there is none, or more than one
     */
    String target() {
        String target = options.get(TARGET);
        if (target == null || target.contains(",")) {
            throw new IllegalArgumentException("give one target: --device ID, --group NAME or --all");
        }
        return target;
    }

    /** @return the groups named with {@code --group}, for {@code device add} */
    List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (String t : options.getOrDefault(TARGET, "").split(",")) {
            if (t.startsWith("group:")) {
                groups.add(t.substring(6));
            }
        }
        return groups;
    }

    /** @return the connection options given, sorted (the shell takes its connection from its configuration) */
    List<String> connectionOptions() {
        return options.keySet().stream().filter(CONNECTION::contains).sorted().toList();
    }
}
