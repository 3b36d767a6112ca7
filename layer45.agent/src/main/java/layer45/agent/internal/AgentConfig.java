package layer45.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The device agent's settings (PID {@value AgentComponent#PID}); {@code conf/layer45.conf} gives them as
 * {@code agent.<key>}. Without them the agent is off.
 */
@ObjectClassDefinition(id = AgentComponent.PID, name = "layer45 device agent",
        description = "Applies the orchestrator's commands from an MQTT broker")
@interface AgentConfig {

    /** @return the broker */
    @AttributeDefinition(description = "MQTT broker, ssl://HOST:PORT (or tcp:// for a test broker on loopback)")
    String broker();

    /** @return this device's id */
    @AttributeDefinition(description = "This device's id: its MQTT client id and user name (letters, digits, . _ -)")
    String device();

    /** @return the groups */
    @AttributeDefinition(description = "Groups this device belongs to, comma-separated", required = false)
    String groups() default "";

    /** @return the password */
    @AttributeDefinition(type = AttributeType.PASSWORD, description = "This device's MQTT password", required = false)
    String password() default "";

    /** @return the broker's trust store */
    @AttributeDefinition(description = "PKCS12 trust store with the broker's CA certificate (ssl://)", required = false)
    String truststore() default "";

    /** @return its password */
    @AttributeDefinition(type = AttributeType.PASSWORD, required = false)
    String truststore_password() default "";

    /** @return the report interval */
    @AttributeDefinition(description = "Seconds between periodic reports; 0 reports only when asked and at connect", min = "0")
    long report_interval_s() default 60;
}
