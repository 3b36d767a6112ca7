package layer45.orchestrator;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.agent.protocol.Op;

/**
 * {@code ./layer45 orchestrate [OPTIONS] COMMAND ...}: the orchestrator's command line. Every command that changes
 * devices records itself in the CIB, publishes, waits for the acks (at most {@code --wait} seconds) and prints each
 * device's result; devices that did not answer stay pending and get the command when they come online.
 */
public final class Main {

    static final String USAGE = """
            usage: layer45 orchestrate [OPTIONS] COMMAND
              options: --db JDBC_URL (default jdbc:h2:file:./orchestrator/cib) --db-user U --db-password P
                       --broker ssl://HOST:PORT --user orchestrator --password P (or $LAYER45_MQTT_PASSWORD)
                       --truststore CA.p12 --truststore-password P --client-id ID --wait SECONDS (30)
              TARGET is --device ID, --group NAME or --all
              device add ID... [--group G]...    register devices (a device's MQTT user is its id)
              devices                            devices, groups, online status, last seen
              deploy JAR [--name NAME] TARGET [key=value...]   install a (signed) jar; parameters by their full
                                                 names (layer45.priority=7, start.tag=[[)
              revoke NAME TARGET                 unload a jar's modules and delete it
              deprecate|activate|deactivate MODULE TARGET
              priority MODULE N TARGET
              param MODULE TARGET key=value...
              challenge NAME TARGET              prove the devices run the jar deployed (a failure revokes it)
              report TARGET                      ask for reports now and print the latest
              watch --interval S --count N       ask all devices for reports every S seconds, N times
              status [COMMAND_ID]                rollout status: each command's result on each device""";

    private Main() {
    }

    /** @param args the command line */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** @return the exit status: 0 when every device answered done/already/passed, 1 otherwise, 2 for usage */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--all")) {
                options.put("target", "all");
            } else if (arg.startsWith("--") && i + 1 < args.size()) {
                String key = arg.substring(2);
                String value = args.get(++i);
                if (key.equals("device") || key.equals("group")) {
                    options.merge("target", key + ":" + value, (a, b) -> a + "," + b);
                } else {
                    options.put(key, value);
                }
            } else {
                rest.add(arg);
            }
        }
        if (rest.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        String db = options.getOrDefault("db", "jdbc:h2:file:" + Path.of("orchestrator", "cib").toAbsolutePath());
        try (Cib cib = new Cib(db, options.getOrDefault("db-user", ""), options.getOrDefault("db-password", ""))) {
            String command = rest.getFirst();
            switch (command) {
                case "device" -> {
                    if (rest.size() < 3 || !rest.get(1).equals("add")) {
                        throw new IllegalArgumentException("device add ID... [--group G]...");
                    }
                    List<String> groups = new ArrayList<>();
                    for (String t : options.getOrDefault("target", "").split(",")) {
                        if (t.startsWith("group:")) {
                            groups.add(t.substring(6));
                        }
                    }
                    for (String id : rest.subList(2, rest.size())) {
                        if (!layer45.agent.protocol.Topics.validName(id)) {
                            throw new IllegalArgumentException("a device id is 1 to 64 letters, digits, '.', '_' or"
                                    + " '-', not '" + id + "'");
                        }
                        cib.device(id, groups);
                        out.println("device " + id + " registered" + (groups.isEmpty() ? "" : " in " + groups));
                    }
                    return 0;
                }
                case "devices" -> {
                    if (options.containsKey("broker")) {
                        refreshStatus(cib, options); // the retained status and report of every device
                    }
                    for (Map<String, Object> d : cib.devices()) {
                        long seen = ((Number) d.get("SEEN")).longValue();
                        out.printf("%-20s %-24s %-8s %s%n", d.get("ID"), d.get("GROUPS_"), d.get("STATUS"),
                                seen == 0 ? "-" : Instant.ofEpochMilli(seen));
                    }
                    return 0;
                }
                case "status" -> {
                    print(cib.deliveries(rest.size() > 1 ? rest.get(1) : null), out);
                    return 0;
                }
                default -> {
                    return withBroker(cib, options, rest, out);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("layer45 orchestrate: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("layer45 orchestrate: " + e);
            return 1;
        }
    }

    private static void refreshStatus(Cib cib, Map<String, String> options) throws Exception {
        try (Orchestrator orchestrator = new Orchestrator(cib, settings(options))) {
            orchestrator.connect();
            Thread.sleep(STATUS_MILLIS);
        }
    }

    /** How long {@code devices} listens for the devices' retained status. */
    private static final long STATUS_MILLIS = 500;

    private static Orchestrator.Settings settings(Map<String, String> options) {
        String broker = options.get("broker");
        if (broker == null) {
            throw new IllegalArgumentException("--broker ssl://HOST:PORT is needed");
        }
        String password = options.getOrDefault("password", System.getenv().getOrDefault("LAYER45_MQTT_PASSWORD", ""));
        String store = options.get("truststore");
        return new Orchestrator.Settings(broker, options.getOrDefault("user", "orchestrator"), password,
                store == null ? null : Path.of(store), options.getOrDefault("truststore-password", ""),
                options.getOrDefault("client-id", "layer45-orchestrator"));
    }

    private static int withBroker(Cib cib, Map<String, String> options, List<String> rest, PrintStream out)
            throws Exception {
        Orchestrator.Settings settings = settings(options);
        String target = options.get("target");
        if (!rest.getFirst().equals("watch") && (target == null || target.contains(","))) {
            throw new IllegalArgumentException("give one target: --device ID, --group NAME or --all");
        }
        Duration wait = Duration.ofSeconds(Long.parseLong(options.getOrDefault("wait", "30")));
        try (Orchestrator orchestrator = new Orchestrator(cib, settings)) {
            long connecting = System.nanoTime();
            orchestrator.connect();
            long connected = System.nanoTime();
            if (rest.getFirst().equals("watch")) {
                long interval = Long.parseLong(options.getOrDefault("interval", "60"));
                long count = Long.parseLong(options.getOrDefault("count", "1"));
                for (long i = 0; i < count; i++) {
                    String id = orchestrator.issue(Op.REPORT, "all");
                    print(orchestrator.await(id, wait), out);
                    if (i + 1 < count) {
                        Thread.sleep(interval * 1000);
                    }
                }
                return 0;
            }
            String id = issue(orchestrator, rest, options, target);
            List<Cib.Delivery> deliveries = orchestrator.await(id, wait);
            long answered = System.nanoTime();
            print(deliveries, out);
            out.printf("%d of %d devices answered in %d ms (connecting to the broker took %d ms)%n",
                    deliveries.stream().filter(d -> !d.result().equals("pending")).count(), deliveries.size(),
                    (answered - connected) / 1_000_000, (connected - connecting) / 1_000_000);
            if (rest.getFirst().equals("report")) {
                for (String device : cib.devicesOf(target)) {
                    out.println(device + ": " + cib.latestReport(device));
                }
            }
            return deliveries.stream().allMatch(d -> List.of("done", "already", "passed").contains(d.result()))
                    ? 0 : 1;
        }
    }

    private static String issue(Orchestrator orchestrator, List<String> rest, Map<String, String> options,
            String target) throws Exception {
        String command = rest.getFirst();
        String name = rest.size() > 1 ? rest.get(1) : "";
        return switch (command) {
            case "deploy" -> {
                Path jar = Path.of(name);
                String file = jar.getFileName().toString();
                yield orchestrator.deploy(options.getOrDefault("name", file.endsWith(".jar")
                        ? file.substring(0, file.length() - 4) : file), Files.readAllBytes(jar), target,
                        keyValues(rest.subList(2, rest.size())));
            }
            case "revoke" -> orchestrator.issue(Op.REVOKE, target, "jar", name);
            case "deprecate", "activate", "deactivate" -> orchestrator.issue(Op.valueOf(command.toUpperCase(
                    java.util.Locale.ROOT)), target, "module", name);
            case "priority" -> orchestrator.issue(Op.PRIORITY, target, "module", name, "priority",
                    Long.parseLong(rest.get(2)));
            case "param" -> orchestrator.issue(Op.PARAM, target, "module", name, "params",
                    new LinkedHashMap<>(keyValues(rest.subList(2, rest.size()))));
            case "challenge" -> orchestrator.challenge(name, target);
            case "report" -> orchestrator.issue(Op.REPORT, target);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
    }

    private static Map<String, String> keyValues(List<String> args) {
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

    private static void print(List<Cib.Delivery> deliveries, PrintStream out) {
        out.printf("%-48s %-10s %-16s %-12s %-9s %s%n", "Command", "Op", "Target", "Device", "Result", "Reason");
        for (Cib.Delivery d : deliveries) {
            out.printf("%-48s %-10s %-16s %-12s %-9s %s%n", d.command(), d.op(), d.target(), d.device(), d.result(),
                    d.reason());
        }
    }
}
