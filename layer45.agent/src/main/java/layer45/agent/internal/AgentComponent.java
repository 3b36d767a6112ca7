package layer45.agent.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.DeploymentService;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The device agent: connects this runtime to the orchestrator through an MQTT broker and applies its commands
 * ({@link DeviceAgent}). Off unless configured (PID {@value #PID}, or {@code agent.*} in {@code conf/layer45.conf}).
 */
@Component(configurationPid = AgentComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = AgentConfig.class)
public final class AgentComponent {

    /** The agent's configuration PID. */
    public static final String PID = "layer45.agent";

    private static final System.Logger LOG = System.getLogger("layer45.agent");

    /** Service properties of the runtime's DeploymentService that carry the taint (see ModuleSignatures). */
    private static final String TAINT = "layer45.tainted";
    private static final String UNSIGNED = "layer45.unsigned.sha256";

    private final MqttLink link;
    private final ScheduledExecutorService reports;

    /**
     * @param config the settings
     * @param context this bundle's context: its data area keeps the agent's state
     * @param runtime the runtime
     * @param deployments its jars
     * @throws IllegalArgumentException if the settings are wrong (the component stays off; the log says why)
     */
    @Activate
    public AgentComponent(AgentConfig config, BundleContext context, @Reference CustomizationRuntime runtime,
            @Reference DeploymentService deployments) throws MqttException, IOException, GeneralSecurityException {
        String home = context.getProperty("layer45.home");
        AgentSettings settings;
        try {
            settings = AgentSettings.from(config, Path.of(home == null ? "" : home));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "layer45 agent: off, its settings are wrong: {0}", e.getMessage());
            throw e;
        }
        ServiceReference<DeploymentService> reference = context.getServiceReference(DeploymentService.class);
        DeviceAgent agent = new DeviceAgent(settings.device(), runtime, deployments,
                () -> String.valueOf(property(reference, TAINT, "")),
                () -> List.of((String[]) property(reference, UNSIGNED, new String[0])),
                new AgentState(context.getDataFile("agent-state.json") == null ? null
                        : context.getDataFile("agent-state.json").toPath()));
        this.link = new MqttLink(settings, agent);
        this.reports = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("layer45-agent-reports").factory());
        link.start();
        if (settings.reportSeconds() > 0) {
            reports.scheduleWithFixedDelay(() -> link.submit(link::publishReport), settings.reportSeconds(),
                    settings.reportSeconds(), TimeUnit.SECONDS);
        }
        LOG.log(Level.INFO, "layer45 agent {0}: started, broker {1}", settings.device(), settings.broker());
    }

    private static Object property(ServiceReference<?> reference, String key, Object otherwise) {
        Object value = reference == null ? null : reference.getProperty(key);
        return value == null ? otherwise : value;
    }

    @Deactivate
    void deactivate() {
        reports.shutdownNow();
        link.close();
    }
}
