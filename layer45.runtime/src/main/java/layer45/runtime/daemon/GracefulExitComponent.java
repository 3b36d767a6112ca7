package layer45.runtime.daemon;

import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Stops the framework when the JVM is told to exit (SIGTERM, SIGINT, SIGHUP): without it the process would end
 * with the framework still running, its components never deactivated, and the control socket left behind. Stopping
 * the framework deactivates every component in order: the network stack refuses new flows, drains the open ones
 * for {@code net.drain.s} and removes its namespaces; the control socket goes. The JVM waits for this hook, up to
 * {@link #STOP_LIMIT}. Logging may already be shut down at that point, so its two lines go to standard error
 * (which journald keeps, as it keeps standard output).
 */
@Component(immediate = true, service = {})
public final class GracefulExitComponent {

    /** The longest the framework may take to stop after a signal; then the JVM exits anyway. */
    static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private final Framework framework;
    private final Thread hook;

    /** @param context this bundle's context, for the framework */
    @Activate
    public GracefulExitComponent(BundleContext context) {
        this.framework = (Framework) context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.hook = Thread.ofPlatform().name("layer45-graceful-exit").unstarted(this::stopFramework);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The framework is stopping by itself ({@code stop 0}): the hook is not needed. */
    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting, and the hook is what stops the framework
        }
    }

    private void stopFramework() {
        System.err.println("layer45: stopping (the process was told to exit): new flows are refused, open ones"
                + " drained, then the framework stops");
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_LIMIT.toMillis());
            System.err.println(event.getType() == FrameworkEvent.WAIT_TIMEDOUT
                    ? "layer45: the framework has not stopped within " + STOP_LIMIT.toSeconds() + " s; exiting anyway"
                    : "layer45: stopped");
        } catch (BundleException | RuntimeException e) {
            System.err.println("layer45: stopping the framework failed (" + e + "); exiting anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.flush();
    }
}
