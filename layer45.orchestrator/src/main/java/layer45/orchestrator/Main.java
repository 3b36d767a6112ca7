package layer45.orchestrator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import layer45.agent.protocol.Op;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * {@code ./layer45 orchestrate [OPTIONS] COMMAND ...}: the orchestrator's command line. Every command that changes
 * devices records itself in the CIB, publishes, waits for the acks (at most {@code --wait} seconds) and prints each
 * device's result; devices that did not answer stay pending and get the command when they come online. The
 * commands themselves are {@link Commands}, which the runtime's shell ({@code nco:}) runs too; the command line
 * connects to the broker for each command.
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

    /** How long a command waits for the acks unless {@code --wait} says. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Main() {
    }

    /** @param args the command line */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** @return the exit status: 0 when every device answered done/already/passed, 1 otherwise, 2 for usage */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            CommandLine line = CommandLine.parse(args);
            if (line.words().isEmpty()) {
                err.println(USAGE);
                return 2;
            }
            String db = line.option("db", "jdbc:h2:file:" + Path.of("orchestrator", "cib").toAbsolutePath());
            try (Cib cib = new Cib(db, line.option("db-user", ""), line.option("db-password", ""))) {
                Commands commands = new Commands(cib, Path::of, out);
                if (line.command().equals("watch")) {
                    return watch(cib, line, commands);
                }
                if (line.command().equals("devices") && line.options().containsKey("broker")) {
                    refreshStatus(cib, line); // the retained status and report of every device
                }
                return commands.run(line, WAIT, issuing -> withBroker(cib, line, issuing));
            }
        } catch (IllegalArgumentException e) {
            err.println("layer45 orchestrate: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IllegalStateException | SQLException e) {
            err.println("layer45 orchestrate: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("layer45 orchestrate: " + e);
            return 1;
        }
    }

    private static void refreshStatus(Cib cib, CommandLine line) throws Exception {
        try (Orchestrator orchestrator = new Orchestrator(cib, settings(line))) {
            connect(orchestrator, line);
            Thread.sleep(STATUS_MILLIS);
        }
    }

    /** How long {@code devices} listens for the devices' retained status. */
    private static final long STATUS_MILLIS = 500;

    private static Orchestrator.Settings settings(CommandLine line) {
        String broker = line.option("broker", null);
        if (broker == null) {
            throw new IllegalArgumentException("--broker ssl://HOST:PORT is needed");
        }
        String password = line.option("password", System.getenv().getOrDefault("LAYER45_MQTT_PASSWORD", ""));
        String store = line.option("truststore", null);
        return new Orchestrator.Settings(broker, line.option("user", "orchestrator"), password,
                store == null ? null : Path.of(store), line.option("truststore-password", ""),
                line.option("client-id", "layer45-orchestrator"));
    }

    /** Connects for one command, and says what connecting took. */
    private static int withBroker(Cib cib, CommandLine line, Commands.Issuing issuing) throws Exception {
        try (Orchestrator orchestrator = new Orchestrator(cib, settings(line))) {
            long connecting = System.nanoTime();
            connect(orchestrator, line);
            return issuing.run(orchestrator, " (connecting to the broker took "
                    + (System.nanoTime() - connecting) / 1_000_000 + " ms)");
        }
    }

    private static void connect(Orchestrator orchestrator, CommandLine line) throws Exception {
        try {
            orchestrator.connect();
        } catch (MqttException e) {
            throw new IllegalStateException("cannot connect to the broker " + line.option("broker", "") + ": "
                    + e.getMessage() + "; check --broker, --user, --password and --truststore, and that the broker"
                    + " runs", e);
        }
    }

    /** Asks all devices for reports every {@code --interval} seconds, {@code --count} times. */
    private static int watch(Cib cib, CommandLine line, Commands commands) throws Exception {
        Duration wait = Commands.seconds(line, "wait", WAIT);
        long interval = Commands.seconds(line, "interval", Duration.ofSeconds(60)).toSeconds();
        long count = Commands.number(line.option("count", "1"), "--count takes a number");
        try (Orchestrator orchestrator = new Orchestrator(cib, settings(line))) {
            connect(orchestrator, line);
            for (long i = 0; i < count; i++) {
                commands.print(orchestrator.await(orchestrator.issue(Op.REPORT, "all"), wait));
                if (i + 1 < count) {
                    Thread.sleep(interval * 1000);
                }
            }
            return 0;
        }
    }
}
