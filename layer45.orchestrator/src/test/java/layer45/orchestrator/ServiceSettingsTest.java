package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The component's configuration ({@code orchestrator.*}), checked, with its defaults and paths from home. */
class ServiceSettingsTest {

    private static final Path HOME = Path.of("/srv/layer45");

    /** @return a configuration with these values (by method name) and the defaults for the rest */
    static OrchestratorConfig config(Map<String, Object> values) {
        return (OrchestratorConfig) Proxy.newProxyInstance(OrchestratorConfig.class.getClassLoader(),
                new Class<?>[] { OrchestratorConfig.class }, (proxy, method, args) -> {
                    Object value = values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                    if (value == null) {
                        throw new IllegalStateException("no value for " + method.getName());
                    }
                    return value;
                });
    }

    @Test
    void defaultsAndPathsFromHome() {
        ServiceSettings settings = ServiceSettings.from(config(Map.of("broker", "tcp://127.0.0.1:1883")), HOME);
        assertEquals("jdbc:h2:file:/srv/layer45/orchestrator/cib", settings.db());
        assertEquals("orchestrator", settings.broker().user());
        assertEquals("layer45-nco", settings.broker().clientId(), "not the command line's client id");
        assertNull(settings.broker().truststore());
        assertEquals(0, settings.reportSeconds());
        assertEquals(30, settings.waitSeconds());
        ServiceSettings tls = ServiceSettings.from(config(Map.of("broker", "ssl://broker:8883", "truststore",
                "conf/ca.p12", "db", "jdbc:h2:file:/var/lib/layer45/orchestrator/cib;TRACE_LEVEL_FILE=0")), HOME);
        assertEquals(Path.of("/srv/layer45/conf/ca.p12"), tls.broker().truststore());
        assertEquals("jdbc:h2:file:/var/lib/layer45/orchestrator/cib", tls.dbShown());
    }

    @Test
    void everyWrongSettingIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceSettings.from(
                config(Map.of("broker", "ssl://broker:8883", "db", "postgres://x", "report_interval_s", -1L)),
                HOME));
        assertTrue(e.getMessage().contains("orchestrator.db: 'postgres://x' is not a JDBC URL")
                && e.getMessage().contains("orchestrator.truststore: an ssl:// broker needs the trust store")
                && e.getMessage().contains("orchestrator.report.interval.s: -1 is out of range"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceSettings.from(config(Map.of("broker",
                "mqtt://broker")), HOME)).getMessage().contains("orchestrator.broker: 'mqtt://broker' is not"));
    }

    @Test
    void everyKeyIsDocumentedInTheConfigurationFile() throws Exception {
        String conf = java.nio.file.Files.readString(Path.of("..", "conf", "layer45.conf"));
        for (java.lang.reflect.Method method : OrchestratorConfig.class.getDeclaredMethods()) {
            String key = "orchestrator." + method.getName().replace('_', '.');
            assertTrue(conf.contains("#   " + key + " = "), key + " is documented in conf/layer45.conf");
        }
    }

    @Test
    void passwordsInTheUrlAreNotShown() {
        ServiceSettings settings = ServiceSettings.from(config(Map.of("broker", "tcp://127.0.0.1:1883", "db",
                "jdbc:postgresql://db/cib?password=secret")), HOME);
        assertEquals("jdbc:postgresql://db/cib", settings.dbShown());
    }
}
