package layer45.orchestrator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import layer45.agent.protocol.BrokerTls;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The orchestrator in the runtime: when configured (PID {@value #PID}, or {@code orchestrator.*} in
 * {@code conf/layer45.conf}), it opens the CIB, stays connected to the broker ({@link LiveOrchestrator}: acks,
 * reports and status are recorded all the time, pending commands go to devices as they come online, reports are
 * asked for periodically), and offers the command line's commands in the shell, scope {@code nco} (the original's
 * name for the orchestrator). Each prints the table the command line prints. Off, and without commands, unless
 * configured.
 */
@Component(configurationPid = OrchestratorComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = OrchestratorComponent.class,
        property = Constants.SERVICE_DESCRIPTION + "=layer45 orchestrator commands: deploy, revoke, status, ...")
@Designate(ocd = OrchestratorConfig.class)
@GogoCommand(scope = "nco", function = { "devices", "device", "deploy", "revoke", "deprecate", "activate",
    "deactivate", "priority", "param", "challenge", "report", "status", "info" })
@Descriptor("the orchestrator: customization jars on many machines, through an MQTT broker")
public final class OrchestratorComponent {

    /** The orchestrator's configuration PID. */
    public static final String PID = "layer45.orchestrator";

    private static final System.Logger LOG = System.getLogger("layer45.orchestrator");

    private final ServiceSettings settings;
    private final Cib cib;
    private final LiveOrchestrator live;
    private final Shell shell;

    /**
     * @param config the settings
     * @param context this bundle's context, for layer45.home
     * @throws IllegalArgumentException if the settings are wrong (the component stays off; the log says why)
     * @throws SQLException if the CIB cannot be opened (the component stays off; the log says why)
     */
    @Activate
    public OrchestratorComponent(OrchestratorConfig config, BundleContext context) throws SQLException, IOException,
            GeneralSecurityException {
        String home = context.getProperty("layer45.home");
        try {
            this.settings = ServiceSettings.from(config, Path.of(home == null ? "" : home));
            Path store = settings.broker().truststore();
            if (store != null) {
                BrokerTls.socketFactory(store, settings.broker().truststorePassword()); // fails now, not each retry
            }
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            LOG.log(Level.ERROR, "layer45 orchestrator: off, its settings are wrong: {0}", e.getMessage());
            throw e;
        }
        try {
            this.cib = new Cib(settings.db(), settings.dbUser(), settings.dbPassword());
        } catch (SQLException e) {
            LOG.log(Level.ERROR, "layer45 orchestrator: off, cannot open the CIB {0}: {1}; check orchestrator.db",
                    settings.dbShown(), e.getMessage());
            throw e;
        }
        this.live = new LiveOrchestrator(cib, () -> new Orchestrator(cib, settings.broker()),
                settings.broker().broker());
        this.shell = new Shell(cib, live::orchestrator, Duration.ofSeconds(settings.waitSeconds()));
        live.start(settings.reportSeconds());
        LOG.log(Level.INFO, "layer45 orchestrator: started, CIB {0}, broker {1}; commands in the shell: nco:*",
                settings.dbShown(), settings.broker().broker());
    }

    @Deactivate
    void deactivate() {
        live.close();
        try {
            cib.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "layer45 orchestrator: cannot close the CIB: {0}", e.getMessage());
        }
    }

    /** @return the devices */
    @Descriptor("list the registered devices: id, groups, online or offline, when last seen")
    public String devices() throws Exception {
        return shell.run("devices");
    }

    /**
     * @param args add, ids and groups
     * @return what was registered
     */
    @Descriptor("register devices: device add ID... [--group G]... (a device's MQTT user is its id)")
    public String device(@Descriptor("add ID... [--group G]...") String... args) throws Exception {
        return shell.run("device", args);
    }

    /**
     * @param session the shell session, whose directory relative paths are taken from
     * @param args the jar, target, name and parameters
     * @return the rollout
     */
    @Descriptor("install a (signed) jar on devices, with parameters by their full names (layer45.priority=7; quote"
            + " one with [ ] { } or spaces), and wait for their acks")
    public String deploy(CommandSession session,
            @Descriptor("JAR [--name NAME] TARGET [key=value...]; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run(directory(session), "deploy", args);
    }

    /**
     * @param args the jar's name and the target
     * @return the rollout
     */
    @Descriptor("unload a jar's modules on devices and delete it there")
    public String revoke(@Descriptor("NAME TARGET; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("revoke", args);
    }

    /**
     * @param args the module and the target
     * @return the rollout
     */
    @Descriptor("deprecate a module on devices (new flows no longer use it); l45:deprecate is this runtime's")
    public String deprecate(@Descriptor("MODULE TARGET; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("deprecate", args);
    }

    /**
     * @param args the module and the target
     * @return the rollout
     */
    @Descriptor("activate a module on devices; l45:activate is this runtime's")
    public String activate(@Descriptor("MODULE TARGET; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("activate", args);
    }

    /**
     * @param args the module and the target
     * @return the rollout
     */
    @Descriptor("deactivate a module on devices; l45:deactivate is this runtime's")
    public String deactivate(@Descriptor("MODULE TARGET; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("deactivate", args);
    }

    /**
     * @param args the module, the priority and the target
     * @return the rollout
     */
    @Descriptor("set a module's priority on devices; l45:priority is this runtime's")
    public String priority(@Descriptor("MODULE N TARGET; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("priority", args);
    }

    /**
     * @param args the module, the target and the parameters
     * @return the rollout
     */
    @Descriptor("set a module's parameters on devices; l45:param is this runtime's")
    public String param(@Descriptor("MODULE TARGET key=value...; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("param", args);
    }

    /**
     * @param args the jar's name and the target
     * @return the rollout
     */
    @Descriptor("make devices prove they run the jar deployed under a name (a wrong answer revokes it there)")
    public String challenge(@Descriptor("NAME TARGET; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("challenge", args);
    }

    /**
     * @param args the target
     * @return the rollout and the latest reports
     */
    @Descriptor("ask devices for their reports now, and print the latest")
    public String report(@Descriptor("TARGET; " + Commands.TARGET_HELP) String... args) throws Exception {
        return shell.run("report", args);
    }

    /**
     * @param args nothing, or a command's id
     * @return the rollout
     */
    @Descriptor("rollout status: each command's result on each device, newest first")
    public String status(@Descriptor("[COMMAND_ID]") String... args) throws Exception {
        return shell.run("status", args);
    }

    /** @return the orchestrator's connection, CIB and settings */
    @Descriptor("the orchestrator's broker connection, CIB, devices online and settings")
    public String info() throws Exception {
        List<Map<String, Object>> devices = cib.devices();
        long online = devices.stream().filter(d -> "online".equals(d.get("STATUS"))).count();
        Orchestrator.Settings broker = settings.broker();
        return String.join("\n",
                "broker     " + broker.broker() + ": " + live.state(),
                "client     " + broker.clientId() + ", user " + broker.user(),
                "CIB        " + settings.dbShown(),
                "devices    " + devices.size() + " registered, " + online + " online",
                "reports    " + (settings.reportSeconds() == 0 ? "when asked (nco:report)"
                        : "asked of the online devices every " + settings.reportSeconds() + " s"),
                "wait       " + settings.waitSeconds() + " s for acks (--wait S for one command)");
    }

    private static Path directory(CommandSession session) {
        Path cwd = session == null ? null : session.currentDir();
        return cwd == null ? Path.of("").toAbsolutePath() : cwd;
    }
}
