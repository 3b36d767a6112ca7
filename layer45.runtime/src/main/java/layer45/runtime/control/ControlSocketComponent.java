package layer45.runtime.control;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import layer45.cli.protocol.SocketPaths;
import layer45.runtime.config.ConfigFile;
import layer45.runtime.config.ControlSettings;
import layer45.runtime.osgi.RuntimeComponent;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The control socket as a Declarative Services component: it listens while Gogo's command processor is there, on
 * the path the configuration gives ({@code control.socket}: Configuration Admin's {@value RuntimeComponent#PID},
 * then the configuration file, then the default), and moves when that changes. A socket that cannot be bound (another
 * runtime listens there) is logged with the reason; the runtime runs on without it.
 */
@Component(immediate = true, service = {}, configurationPid = RuntimeComponent.PID)
public final class ControlSocketComponent {

    private static final System.Logger LOG = System.getLogger("layer45.control");

    /** The setting this component reads from the runtime's configuration. */
    @interface Config {
        /** @return {@code control.socket}; empty for the file's value or the default */
        String control_socket() default "";
    }

    private final ConfigFile file;
    private final Shell shell;
    private ControlServer server;

    /**
     * @param context this bundle's context, for the configuration file's properties
     * @param config the runtime's configuration from Configuration Admin
     * @param processor Gogo's command processor, which runs the command lines
     */
    @Activate
    public ControlSocketComponent(BundleContext context, Config config,
            @Reference(name = "processor") CommandProcessor processor) {
        // The runtime's own component reports a configuration file it cannot use: no need to say it twice.
        this.file = ConfigFile.loadOrDefaults(context::getProperty, problem -> { });
        this.shell = new GogoShell(processor);
        listen(socketPath(config));
    }

    /** @param config the new configuration; the socket moves if its path changed */
    @Modified
    synchronized void modified(Config config) {
        Path path = socketPath(config);
        if (server == null || !server.path().equals(path)) {
            stop();
            listen(path);
        }
    }

    /** Closes every connection and removes the socket. */
    @Deactivate
    synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "layer45: cannot remove the control socket {0}: {1}", server.path(),
                        e.getMessage());
            }
            server = null;
        }
    }

    private synchronized void listen(Path path) {
        try {
            server = ControlServer.start(path, shell);
            LOG.log(Level.INFO, "layer45: control socket {0} (for its owner only): layer45 shell, layer45 lsmod and"
                    + " layer45 exec connect here", path);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "layer45: no control socket, so ./layer45 exec cannot reach this runtime: {0}",
                    e.getMessage());
        }
    }

    private Path socketPath(Config config) {
        Map<String, Object> settings = new HashMap<>(file.values());
        if (!config.control_socket().isBlank()) {
            settings.put(ControlSettings.SOCKET, config.control_socket());
        }
        return ControlSettings.from(settings, file.home(), SocketPaths.runningAsRoot()).socket();
    }
}
