package layer45.runtime.osgi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.DeploymentService;
import layer45.api.spi.FlowTap;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.OperatorState;
import layer45.runtime.config.AutoloadSettings;
import layer45.runtime.config.ConfigFile;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.config.SigningSettings;
import layer45.runtime.config.StateSettings;
import layer45.runtime.deploy.Deployer;
import layer45.runtime.deploy.ModuleSignatures;
import layer45.runtime.state.StateFile;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The layer45 runtime as a Declarative Services component: the composition root.
 *
 * <p>It reads the configuration file ({@link ConfigFile}), overridden live by Configuration Admin
 * ({@code layer45.runtime}); builds the {@link Layer45Runtime} and the {@link Deployer}; publishes them as
 * {@link CustomizationRuntime}, {@link FlowTap} and {@link DeploymentService}; and feeds the runtime every
 * customization service and every change of stored module parameters. The objects are published by hand rather
 * than by DS, so they live exactly as long as this component: new configuration changes their settings in place.
 */
@Component(immediate = true, configurationPid = RuntimeComponent.PID, service = {})
@Designate(ocd = RuntimeComponent.Config.class)
public final class RuntimeComponent {

    /** Configuration PID of the runtime's settings. */
    public static final String PID = "layer45.runtime";

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    /** The runtime's settings, as described to configuration tools (conf/layer45.conf documents them too). */
    @ObjectClassDefinition(id = PID, name = "layer45 runtime", description = "Limits, budgets and the autoload folder")
    public @interface Config {
        /** @return the autoload folder */
        @AttributeDefinition(name = "Autoload folder", description = "Folder watched for customization jars; relative to layer45.home")
        String autoload_dir() default "autoload";

        /** @return the scan interval */
        @AttributeDefinition(name = "Autoload scan (ms)", description = "How often the autoload folder is scanned", min = "50")
        long autoload_poll_ms() default 250;

        /** @return the settle time */
        @AttributeDefinition(name = "Settle time (ms)", description = "How long a started jar has to register its customizations", min = "100")
        long autoload_settle_ms() default 2000;

        /** @return the drain time */
        @AttributeDefinition(name = "Drain time (s)", description = "How long a replaced jar's modules keep their flows; 0 until they close", min = "0")
        long autoload_drain_s() default 0;

        /** @return most modules per flow */
        @AttributeDefinition(name = "Chain limit", description = "Most modules attached to one flow", min = "1", max = "64")
        int max_chain() default 5;

        /** @return call budget */
        @AttributeDefinition(name = "Call budget (ms)", description = "Longest one module call may take; longer is a fault that aborts the flow", min = "1")
        long call_budget_ms() default 1000;

        /** @return fault budget */
        @AttributeDefinition(name = "Fault budget", description = "Faults a module may have within the fault window; one more deactivates it", min = "0")
        int fault_budget() default 10;

        /** @return fault window */
        @AttributeDefinition(name = "Fault window (s)", description = "Window of the fault budget", min = "1")
        long fault_window_s() default 60;

        /** @return output limit */
        @AttributeDefinition(name = "Output limit (bytes)", description = "Most bytes a module may write for one chunk", min = "1024")
        int output_limit() default 1 << 20;

        /** @return hold limit */
        @AttributeDefinition(name = "Hold limit (bytes)", description = "Most bytes a module may hold back in one direction of a flow", min = "1024")
        int hold_limit() default 256 << 10;

        /** @return the control socket (read by the control socket's component) */
        @AttributeDefinition(name = "Control socket", description = "Unix socket for ./layer45 exec and other clients; empty for /run/layer45/layer45.sock as root, <layer45.home>/cnf/target/layer45.sock otherwise")
        String control_socket() default "";

        /** @return the signature policy */
        @AttributeDefinition(name = "Module signatures", description = "required: only jars signed by a trusted signer load; allow-unsigned: unsigned jars load too and taint the runtime", options = {
            @org.osgi.service.metatype.annotations.Option(value = "required"),
            @org.osgi.service.metatype.annotations.Option(value = "allow-unsigned") })
        String modules_signature() default "allow-unsigned";

        /** @return the trust store */
        @AttributeDefinition(name = "Module trust store", description = "PKCS12 file with the certificates of trusted module signers; relative to layer45.home", required = false)
        String modules_truststore() default "";

        /** @return the trust store's password */
        @AttributeDefinition(name = "Trust store password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD, required = false)
        String modules_truststore_password() default "";
    }

    /** Configuration PID of the network stack, which takes the file's {@code net.*} settings. */
    static final String NET_PID = "layer45.net";
    /** Configuration PID of the host-identifier table, which takes the file's {@code mhost.*} settings. */
    static final String MHOST_PID = "layer45.mhost";
    /** The table's key for the file of operators' edits, which defaults to one in {@code state.dir}. */
    private static final String MHOST_EDITS = "edits";
    /** Configuration PID of the peer links, which take the file's {@code peer.*} settings. */
    static final String PEER_PID = "layer45.peer";
    /** Configuration PID of the device agent (layer45.agent), which takes the file's {@code agent.*} settings. */
    static final String AGENT_PID = "layer45.agent";
    /** Configuration PID of the orchestrator (layer45.orchestrator), which takes {@code orchestrator.*}. */
    static final String ORCHESTRATOR_PID = "layer45.orchestrator";
    /** The orchestrator's key for its CIB, which defaults to an H2 file in {@code state.dir}. */
    private static final String ORCHESTRATOR_DB = "db";

    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime componentRuntime;

    private final ConfigFile file;
    private final Layer45Runtime runtime;
    private final Deployer deployer;
    private final ServiceTracker<Object, CustomizationTracker.Tracked> customizations;
    private final ServiceRegistration<?> published;
    private final ServiceRegistration<DeploymentService> deployments;
    private final ServiceRegistration<ModuleSignatures> signatures;
    private final ServiceRegistration<ConfigurationListener> parameterListener;

    /**
     * Starts the runtime.
     *
     * @param context this bundle's context
     * @param properties the runtime's configuration from Configuration Admin, if any
     */
    @Activate
    public RuntimeComponent(BundleContext context, Map<String, Object> properties) {
        this.file = readFile(context);
        Map<String, Object> settings = merged(properties);
        ConfigAdminConfigurator configurator = new ConfigAdminConfigurator(() -> configurationAdmin);
        this.runtime = new Layer45Runtime(runtimeSettings(settings, RuntimeSettings.DEFAULTS),
                new ConfigAdminParameterStore(() -> configurationAdmin),
                new OsgiModuleHost(context, () -> componentRuntime, configurator), operatorState(settings));
        this.deployer = new Deployer(context, runtime, configurator, autoloadSettings(settings, null),
                signingSettings(settings, SigningSettings.DEFAULTS));
        this.published = context.registerService(
                new String[] { CustomizationRuntime.class.getName(), FlowTap.class.getName() }, runtime,
                description("layer45 customization runtime"));
        this.deployments = context.registerService(DeploymentService.class, deployer, deploymentProperties());
        this.signatures = context.registerService(ModuleSignatures.class, deployer,
                description("layer45 module signers and taint"));
        deployer.onSignaturesChanged(() -> deployments.setProperties(deploymentProperties()));
        this.parameterListener = context.registerService(ConfigurationListener.class, this::parametersChanged, null);
        CustomizationTracker tracking = new CustomizationTracker(context, runtime);
        this.customizations = new ServiceTracker<>(context, filter(context), tracking);
        tracking.tracker(customizations);
        customizations.open(true);
        deployer.start();
        LOG.log(Level.INFO, "layer45 runtime started ({0}): {1}; autoload folder {2}; module state {3}",
                file.file() == null ? "no configuration file" : "configuration " + file.file(), runtime.settings(),
                deployer.autoloadDirectory(), runtime.stateLocation());
    }

    /**
     * Takes Configuration Admin, and hands the network stack its settings from the file: the stack's component
     * waits for them (its PID is {@value #NET_PID}), so it starts with what the operator configured. The
     * host-identifier table's settings go to {@value #MHOST_PID}; the table starts with its defaults and takes them
     * live. The peer links go to {@value #PEER_PID}, and are opened as they come. The control plane's device agent
     * ({@value #AGENT_PID}) and orchestrator ({@value #ORCHESTRATOR_PID}) get theirs only if the file has any: they
     * are off without.
     *
     * @param admin Configuration Admin
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindConfigurationAdmin")
    void bindConfigurationAdmin(ConfigurationAdmin admin) {
        this.configurationAdmin = admin;
        try {
            Configuration net = admin.getConfiguration(NET_PID, "?");
            net.updateIfDifferent(new Hashtable<>(file.netValues()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "layer45: cannot hand the network stack its settings ({0}): {1}; it stays off",
                    NET_PID, e.getMessage());
        }
        try {
            Configuration mhost = admin.getConfiguration(MHOST_PID, "?");
            mhost.updateIfDifferent(mhostValues());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "layer45: cannot hand the host-identifier table its settings ({0}): {1}; it keeps"
                    + " its defaults", MHOST_PID, e.getMessage());
        }
        try {
            Configuration peers = admin.getConfiguration(PEER_PID, "?");
            peers.updateIfDifferent(new Hashtable<>(file.peerValues()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "layer45: cannot hand the peer links their settings ({0}): {1}; none is opened from"
                    + " the configuration", PEER_PID, e.getMessage());
        }
        configureIfSet(admin, AGENT_PID, new Hashtable<>(file.agentValues()), "the device agent");
        configureIfSet(admin, ORCHESTRATOR_PID, orchestratorValues(), "the orchestrator");
    }

    /**
     * Hands a control-plane component (the device agent, the orchestrator) its settings, if the file has any:
     * without them it stays off.
     */
    private static void configureIfSet(ConfigurationAdmin admin, String pid, Hashtable<String, Object> values,
            String component) {
        if (values.isEmpty()) {
            return;
        }
        try {
            admin.getConfiguration(pid, "?").updateIfDifferent(values);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "layer45: cannot hand {0} its settings ({1}): {2}; it stays off", component, pid,
                    e.getMessage());
        }
    }

    /** @return the orchestrator's settings; without a CIB of its own, an H2 file in the state folder, if any */
    private Hashtable<String, Object> orchestratorValues() {
        Hashtable<String, Object> values = new Hashtable<>(file.orchestratorValues());
        Object db = values.get(ORCHESTRATOR_DB);
        if (!values.isEmpty() && (db == null || db.toString().isBlank())) {
            try {
                Path cib = StateSettings.from(file.values(), file.home()).orchestratorCib();
                if (cib != null) {
                    values.put(ORCHESTRATOR_DB, "jdbc:h2:file:" + cib);
                }
            } catch (IllegalArgumentException e) {
                LOG.log(Level.ERROR, "layer45: {0}; the orchestrator keeps its CIB under layer45.home",
                        e.getMessage());
            }
        }
        return values;
    }

    void unbindConfigurationAdmin(ConfigurationAdmin admin) {
        if (configurationAdmin == admin) {
            configurationAdmin = null;
        }
    }

    /** @param properties the new configuration; open flows and the autoload folder follow it */
    @Modified
    void modified(Map<String, Object> properties) {
        Map<String, Object> settings = merged(properties);
        runtime.updateSettings(runtimeSettings(settings, RuntimeSettings.from(runtime.settings())));
        deployer.update(autoloadSettings(settings, deployer));
        deployer.update(signingSettings(settings, deployer.signing()));
        LOG.log(Level.INFO, "layer45 runtime settings: {0}; autoload folder {1}", runtime.settings(),
                deployer.autoloadDirectory());
    }

    /** Stops watching the folder and tracking modules, and withdraws the runtime. */
    @Deactivate
    void deactivate() {
        deployer.close();
        customizations.close();
        parameterListener.unregister();
        signatures.unregister();
        deployments.unregister();
        published.unregister();
        runtime.close();
        LOG.log(Level.INFO, "layer45 runtime stopped");
    }

    private void parametersChanged(ConfigurationEvent event) {
        String module = ConfigAdminParameterStore.moduleOf(event.getPid());
        if (module != null) {
            runtime.parametersChanged(module); // re-reads the store: events arrive late and out of order
        }
    }

    /**
     * The file's {@code mhost.*} values; operators' edits of the table are kept in {@code state.dir} unless
     * {@code mhost.edits} names another file.
     */
    private Hashtable<String, Object> mhostValues() {
        Hashtable<String, Object> values = new Hashtable<>(file.mhostValues());
        Object edits = values.get(MHOST_EDITS);
        if (edits == null || edits.toString().isBlank()) {
            try {
                Path kept = StateSettings.from(file.values(), file.home()).mhostEditsFile();
                if (kept != null) {
                    values.put(MHOST_EDITS, kept.toString());
                }
            } catch (IllegalArgumentException e) {
                LOG.log(Level.ERROR, "layer45: {0}; host-identifier edits are not kept across restarts",
                        e.getMessage());
            }
        }
        return values;
    }

    /** The file's values, overridden by what Configuration Admin holds for {@link #PID}. */
    private Map<String, Object> merged(Map<String, Object> properties) {
        Map<String, Object> merged = new HashMap<>(file.values());
        for (String key : ConfigFile.KEYS) {
            Object value = properties.get(key);
            if (value != null) {
                merged.put(key, value);
            }
        }
        return merged;
    }

    private static ConfigFile readFile(BundleContext context) {
        return ConfigFile.loadOrDefaults(context::getProperty,
                problem -> LOG.log(Level.ERROR, "layer45: {0}; starting with the defaults", problem));
    }


    /** @return the module state kept across restarts in {@code state.dir}, or none when it is not set */
    private OperatorState operatorState(Map<String, Object> settings) {
        try {
            Path stateFile = StateSettings.from(settings, file.home()).modulesFile();
            return stateFile == null ? OperatorState.NONE : StateFile.open(stateFile);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "layer45: {0}; module state is not kept across restarts", e.getMessage());
            return OperatorState.NONE;
        }
    }

    private static RuntimeSettings runtimeSettings(Map<String, Object> settings, RuntimeSettings current) {
        try {
            return RuntimeSettings.from(settings);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "layer45 runtime settings ignored, keeping the settings in force: {0}", e.getMessage());
            return current;
        }
    }

    private AutoloadSettings autoloadSettings(Map<String, Object> settings, Deployer current) {
        try {
            return AutoloadSettings.from(settings, file.home());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "layer45 autoload settings ignored: {0}", e.getMessage());
            return current == null ? AutoloadSettings.from(Map.of(), file.home())
                    : AutoloadSettings.from(Map.of(AutoloadSettings.DIR, current.autoloadDirectory()), file.home());
        }
    }

    /** @return the current settings, or {@code current} (the defaults if null) when they do not parse */
    private SigningSettings signingSettings(Map<String, Object> settings, SigningSettings current) {
        try {
            return SigningSettings.from(settings, file.home());
        } catch (IllegalArgumentException e) {
            SigningSettings kept = current != null ? current : SigningSettings.DEFAULTS;
            LOG.log(Level.ERROR, "layer45 signature settings ignored, keeping {0}: {1}", kept.toMap(),
                    e.getMessage());
            return kept;
        }
    }

    /** @return the deployment service's properties: its description, and the taint for agents' reports */
    private Hashtable<String, Object> deploymentProperties() {
        Hashtable<String, Object> properties = description("layer45 customization jars: autoload folder and insmod");
        properties.put(ModuleSignatures.TAINT_PROPERTY, deployer.taint());
        properties.put(ModuleSignatures.UNSIGNED_PROPERTY, deployer.unsignedJars().toArray(String[]::new));
        return properties;
    }

    private static Hashtable<String, Object> description(String text) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_DESCRIPTION, text);
        return properties;
    }

    private static Filter filter(BundleContext context) {
        try {
            return context.createFilter(CustomizationTracker.FILTER);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
