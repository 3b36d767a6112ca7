package layer45.orchestrator;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import layer45.agent.protocol.Op;

/**
 * The runtime's orchestrator: one MQTT session that stays open while the component is active, so acks, reports and
 * the devices' online/offline status are recorded in the CIB all the time, and a device that comes online gets the
 * commands it has not answered ({@link Orchestrator} does both). It connects in the background and retries until it
 * gets through (Paho reconnects on its own after that), and asks the online devices for their reports
 * periodically when configured to.
 */
final class LiveOrchestrator implements AutoCloseable {

    /** Makes an orchestrator (not connected yet) for each attempt. */
    @FunctionalInterface
    interface Factory {
        /** @return a new orchestrator */
        Orchestrator create() throws Exception;
    }

    private static final System.Logger LOG = System.getLogger("layer45.orchestrator");
    /** The longest pause between two attempts to connect. */
    static final long MAX_RETRY_MILLIS = 5000;

    private final Cib cib;
    private final Factory factory;
    private final String broker;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("layer45-orchestrator").factory());
    /** The connected orchestrator; {@code null} until the first connection. */
    private volatile Orchestrator orchestrator;
    /** Why the last attempt to connect failed; {@code null} once connected. */
    private volatile String problem = "connecting";
    private volatile boolean closed;

    /**
     * @param cib the CIB
     * @param factory makes the orchestrator (for the broker the settings name)
     * @param broker the broker's URI, for messages
     */
    LiveOrchestrator(Cib cib, Factory factory, String broker) {
        this.cib = cib;
        this.factory = factory;
        this.broker = broker;
    }

    /**
     * Starts connecting, and the periodic reports.
     *
     * @param reportSeconds seconds between asking the online devices for their reports, 0 for never
     */
    void start(long reportSeconds) {
        worker.execute(this::connect);
        if (reportSeconds > 0) {
            worker.scheduleWithFixedDelay(this::askForReports, reportSeconds, reportSeconds, TimeUnit.SECONDS);
        }
    }

    private void connect() {
        for (int attempt = 0; !Thread.currentThread().isInterrupted(); attempt++) {
            Orchestrator candidate = null;
            try {
                candidate = factory.create();
                candidate.connect();
                orchestrator = candidate;
                problem = null;
                if (closed) {
                    closeQuietly(candidate);
                    return;
                }
                LOG.log(Level.INFO, "layer45 orchestrator: connected to {0}", broker);
                return;
            } catch (Exception e) {
                problem = e.getMessage() == null ? e.toString() : e.getMessage();
                closeQuietly(candidate);
                if (attempt % 10 == 0) {
                    LOG.log(Level.WARNING, "layer45 orchestrator: cannot connect to the broker {0}: {1}; retrying",
                            broker, problem);
                }
            }
            try {
                Thread.sleep(Math.min(MAX_RETRY_MILLIS, 200L << Math.min(attempt, 5)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Asks the devices that are online for their reports: all at once when every device is online. */
    void askForReports() {
        Orchestrator connected = orchestrator;
        if (connected == null) {
            return;
        }
        try {
            List<Map<String, Object>> devices = cib.devices();
            List<String> online = devices.stream().filter(d -> "online".equals(d.get("STATUS")))
                    .map(d -> (String) d.get("ID")).toList();
            if (!online.isEmpty() && online.size() == devices.size()) {
                connected.issue(Op.REPORT, "all");
            } else {
                for (String device : online) {
                    connected.issue(Op.REPORT, "device:" + device);
                }
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "layer45 orchestrator: cannot ask the devices for their reports: {0}",
                    e.getMessage());
        }
    }

    /**
     * @return the orchestrator, connected at least once (Paho reconnects it)
     * @throws IllegalStateException if it has not connected yet, saying why
     */
    Orchestrator orchestrator() {
        Orchestrator connected = orchestrator;
        if (connected == null) {
            throw new IllegalStateException("the orchestrator is not connected to the broker " + broker + " yet ("
                    + problem + "); it keeps trying: check orchestrator.broker, user, password and truststore in"
                    + " conf/layer45.conf (or PID layer45.orchestrator), and the broker's log");
        }
        return connected;
    }

    /** @return "connected", "reconnecting", or "connecting" with the last error */
    String state() {
        Orchestrator connected = orchestrator;
        if (connected == null) {
            return "connecting (" + problem + ")";
        }
        return connected.connected() ? "connected" : "reconnecting";
    }

    private static void closeQuietly(Orchestrator candidate) {
        if (candidate == null) {
            return;
        }
        try {
            candidate.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "layer45 orchestrator: close: {0}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(orchestrator);
    }
}
