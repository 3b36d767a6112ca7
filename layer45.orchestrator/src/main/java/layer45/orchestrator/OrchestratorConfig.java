package layer45.orchestrator;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The runtime's orchestrator settings (PID {@value OrchestratorComponent#PID}); {@code conf/layer45.conf} gives them
 * as {@code orchestrator.<key>}. Without them the orchestrator component is off. They are the command line's
 * connection options ({@code --db}, {@code --broker}, ...) under the names of the configuration file.
 */
@ObjectClassDefinition(id = OrchestratorComponent.PID, name = "layer45 orchestrator",
        description = "Deploys, revokes and monitors customization jars on many machines through an MQTT broker;"
                + " its commands are in the shell, scope nco")
@interface OrchestratorConfig {

    /** @return the CIB's JDBC URL */
    @AttributeDefinition(description = "The CIB's JDBC URL: jdbc:h2:file:PATH (a relative PATH is taken from"
            + " layer45.home) or jdbc:postgresql://HOST/DB; empty: an H2 file orchestrator/cib in the runtime's"
            + " state.dir", required = false)
    String db() default "";

    /** @return the database user */
    @AttributeDefinition(description = "The database user", required = false)
    String db_user() default "";

    /** @return its password */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "The database password", required = false)
    String db_password() default "";

    /** @return the broker */
    @AttributeDefinition(description = "MQTT broker, ssl://HOST:PORT (or tcp:// for a test broker on loopback)")
    String broker();

    /** @return the MQTT user */
    @AttributeDefinition(description = "The orchestrator's MQTT user (its ACL allows every layer45 topic)",
            required = false)
    String user() default "orchestrator";

    /** @return its password */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Its MQTT password", required = false)
    String password() default "";

    /** @return the broker's trust store */
    @AttributeDefinition(description = "PKCS12 trust store with the broker's CA certificate (ssl://), relative to"
            + " layer45.home", required = false)
    String truststore() default "";

    /** @return its password */
    @AttributeDefinition(type = AttributeType.PASSWORD, required = false)
    String truststore_password() default "";

    /** @return the MQTT client id */
    @AttributeDefinition(description = "The MQTT client id of the orchestrator's persistent session; not the"
            + " command line's (layer45-orchestrator), or each would disconnect the other", required = false)
    String client_id() default "layer45-nco";

    /** @return the report interval */
    @AttributeDefinition(description = "Seconds between asking every online device for its report; 0 for never"
            + " (devices also report on their own, every agent.report.interval.s)", min = "0", max = "86400",
            required = false)
    long report_interval_s() default 0;

    /** @return how long a command waits for the acks */
    @AttributeDefinition(description = "Seconds a command waits for the devices' acks before it prints the rollout"
            + " (--wait of one command overrides it); devices that did not answer get the command when they come"
            + " online", min = "0", max = "3600", required = false)
    long wait_s() default 30;
}
