package layer45.orchestrator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The orchestrator component's settings, checked: where the CIB is, how to reach the broker, and its timings.
 *
 * @param db the CIB's JDBC URL (an H2 file's path absolute)
 * @param dbUser the database user, or ""
 * @param dbPassword its password, or ""
 * @param broker how to reach the broker
 * @param reportSeconds seconds between asking every online device for its report, 0 for never
 * @param waitSeconds how long a command waits for the acks
 */
record ServiceSettings(String db, String dbUser, String dbPassword, Orchestrator.Settings broker, long reportSeconds,
        long waitSeconds) {

    /** The CIB's file in the state folder when {@code db} is not set, and under layer45.home without state.dir. */
    static final String DEFAULT_CIB = "orchestrator/cib";

    private static final String H2_FILE = "jdbc:h2:file:";

    ServiceSettings {
        List<String> problems = new ArrayList<>();
        if (!db.startsWith("jdbc:")) {
            problems.add("orchestrator.db: '" + db + "' is not a JDBC URL (jdbc:h2:file:PATH or"
                    + " jdbc:postgresql://HOST/DB)");
        }
        String uri = broker.broker();
        if (!(uri.startsWith("ssl://") || uri.startsWith("tcp://"))) {
            problems.add("orchestrator.broker: '" + uri + "' is not ssl://HOST:PORT (or tcp://HOST:PORT)");
        }
        if (uri.startsWith("ssl://") && broker.truststore() == null) {
            problems.add("orchestrator.truststore: an ssl:// broker needs the trust store with its CA certificate");
        }
        if (broker.user().isEmpty()) {
            problems.add("orchestrator.user: empty; the broker's ACL knows the orchestrator by its user");
        }
        if (broker.clientId().isEmpty() || broker.clientId().length() > 128) {
            problems.add("orchestrator.client.id: '" + broker.clientId() + "' is not 1 to 128 characters");
        }
        if (reportSeconds < 0 || reportSeconds > 86_400) {
            problems.add("orchestrator.report.interval.s: " + reportSeconds + " is out of range (0-86400)");
        }
        if (waitSeconds < 0 || waitSeconds > 3600) {
            problems.add("orchestrator.wait.s: " + waitSeconds + " is out of range (0-3600)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * @param config the component's configuration
     * @param home where relative paths are taken from (layer45.home)
     * @return the settings
     * @throws IllegalArgumentException naming each setting that is wrong
     */
    static ServiceSettings from(OrchestratorConfig config, Path home) {
        String db = config.db().trim();
        if (db.isEmpty()) {
            db = H2_FILE + DEFAULT_CIB;
        }
        if (db.startsWith(H2_FILE)) {
            // H2 refuses paths relative to the working directory: take them from home
            String path = db.substring(H2_FILE.length());
            if (!path.startsWith("/") && !path.startsWith("~")) {
                db = H2_FILE + home.resolve(path).toAbsolutePath().normalize();
            }
        }
        String store = config.truststore().trim();
        Orchestrator.Settings broker = new Orchestrator.Settings(config.broker().trim(), config.user().trim(),
                config.password(), store.isEmpty() ? null : home.resolve(store).toAbsolutePath().normalize(),
                config.truststore_password(), config.client_id().trim());
        return new ServiceSettings(db, config.db_user(), config.db_password(), broker, config.report_interval_s(),
                config.wait_s());
    }

    /** @return the database URL without its settings (after ';' or '?'), which may hold passwords */
    String dbShown() {
        int end = db.length();
        for (char c : new char[] { ';', '?' }) {
            end = db.indexOf(c) < 0 ? end : Math.min(end, db.indexOf(c));
        }
        return db.substring(0, end);
    }
}
