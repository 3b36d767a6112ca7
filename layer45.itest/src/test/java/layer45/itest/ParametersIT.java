package layer45.itest;

import static layer45.itest.Bytes.ascii;
import static layer45.itest.Bytes.text;
import static layer45.itest.OsgiFixture.CLIENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import layer45.api.Transport;
import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleDTO;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Proves that module parameters live in Configuration Admin, as an operator's tools see them: a configuration
 * {@code layer45.module.<name>} written by any tool is applied to the running module; the runtime's
 * {@code setParameters} writes that same configuration; invalid values are refused without changing anything; and a
 * module's own component configuration (its tags, for echo-tag) reaches it through Declarative Services.
 */
class ParametersIT {

    private static final String PARAMETERS_PID = "layer45.module." + CLIENT;

    private OsgiFixture osgi;
    private InMemoryFlowDriver driver;
    private ConfigurationAdmin cm;

    @BeforeEach
    void boot() {
        osgi = OsgiFixture.start();
        driver = osgi.driver();
        cm = osgi.configurationAdmin();
    }

    @AfterEach
    void shutdown() {
        if (osgi != null) {
            osgi.close();
        }
    }

    private DriverFlow clientFlow(int localPort, int remotePort) {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "python3", "127.0.0.1:" + localPort,
                "127.0.0.1:" + remotePort));
    }

    @Test
    void configurationWrittenByAnotherToolIsAppliedToTheRunningModule() throws Exception {
        try (DriverFlow before = clientFlow(50060, 65432)) {
            assertEquals("<start>a<end>", text(before.send(ascii("a"))));

            Configuration configuration = cm.getConfiguration(PARAMETERS_PID, "?");
            configuration.update(new Hashtable<>(Map.of("layer45.priority", 7, "layer45.remote.port", "7777")));

            // Configuration Admin tells the runtime asynchronously.
            ModuleDTO module = OsgiFixture.await("the new parameters of " + CLIENT, () -> {
                ModuleDTO m = osgi.runtime().module(CLIENT);
                return m.priority == 7 && List.of(m.target.remotePort).equals(List.of("7777")) ? m : null;
            });
            assertEquals(7, ((Number) module.parameters.get("layer45.priority")).intValue(),
                    module.parameters::toString);

            try (DriverFlow to7777 = clientFlow(50061, 7777); DriverFlow to65432 = clientFlow(50062, 65432)) {
                assertEquals("<start>b<end>", text(to7777.send(ascii("b"))));
                assertEquals(Outcome.CUSTOMIZED, to7777.lastOutcome());
                assertEquals("c", text(to65432.send(ascii("c"))));
                assertEquals(Outcome.ORIGINAL, to65432.lastOutcome());
            }
            // A flow already attached keeps the module.
            assertEquals("<start>d<end>", text(before.send(ascii("d"))));
        }

        // Deleting the configuration restores the module's own values.
        cm.getConfiguration(PARAMETERS_PID, "?").delete();
        OsgiFixture.until(CLIENT + " to return to its own target", () -> {
            ModuleDTO m = osgi.runtime().module(CLIENT);
            return m.priority == 1000 && List.of(m.target.remotePort).equals(List.of("65432"));
        });
    }

    @Test
    void setParametersWritesTheConfigurationAndInvalidValuesChangeNothing() throws Exception {
        osgi.runtime().setParameters(CLIENT, Map.of("layer45.priority", 7, "layer45.remote.port", "7777"));
        ModuleDTO module = osgi.runtime().module(CLIENT);
        assertEquals(7, module.priority);
        assertArrayEquals(new String[] { "7777" }, module.target.remotePort);

        Dictionary<String, Object> stored = stored();
        assertNotNull(stored, "setParameters must write " + PARAMETERS_PID);
        assertEquals(7, ((Number) stored.get("layer45.priority")).intValue());
        assertEquals("7777", String.valueOf(stored.get("layer45.remote.port")));

        try (DriverFlow to7777 = clientFlow(50070, 7777)) {
            assertEquals("<start>a<end>", text(to7777.send(ascii("a"))));
        }

        // A port out of range is refused, and nothing changes: not the module, not the stored configuration.
        Layer45Exception invalid = assertThrows(Layer45Exception.class,
                () -> osgi.runtime().setParameters(CLIENT, Map.of("layer45.remote.port", "70000")));
        assertEquals(ErrorCode.INVALID_PARAMETER, invalid.code());
        assertTrue(invalid.getMessage().contains("70000"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("1-65535"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("nothing was changed"), invalid.getMessage());
        // A misspelled parameter too.
        Layer45Exception misspelled = assertThrows(Layer45Exception.class,
                () -> osgi.runtime().setParameters(CLIENT, Map.of("layer45.remote.prot", "53")));
        assertEquals(ErrorCode.INVALID_PARAMETER, misspelled.code());
        assertTrue(misspelled.getMessage().contains("layer45.remote.prot"), misspelled.getMessage());

        module = osgi.runtime().module(CLIENT);
        assertEquals(7, module.priority);
        assertArrayEquals(new String[] { "7777" }, module.target.remotePort);
        assertEquals("", module.lastProblem);
        stored = stored();
        assertEquals("7777", String.valueOf(stored.get("layer45.remote.port")));
        assertNull(stored.get("layer45.remote.prot"));
        try (DriverFlow to7777 = clientFlow(50071, 7777)) {
            assertEquals("<start>b<end>", text(to7777.send(ascii("b"))));
        }

        // A null value removes an override.
        Map<String, Object> remove = new HashMap<>();
        remove.put("layer45.priority", null);
        osgi.runtime().setParameters(CLIENT, remove);
        assertEquals(1000, osgi.runtime().module(CLIENT).priority);
        assertNull(stored().get("layer45.priority"));
        assertEquals("7777", String.valueOf(stored().get("layer45.remote.port")));

        Layer45Exception unknown = assertThrows(Layer45Exception.class,
                () -> osgi.runtime().setParameters("no-such-module", Map.of("layer45.priority", 1)));
        assertEquals(ErrorCode.UNKNOWN_MODULE, unknown.code());
    }

    @Test
    void theModulesOwnConfigurationChangesItsTagsForNewFlows() throws Exception {
        try (DriverFlow before = clientFlow(50080, 65432)) {
            assertEquals("<start>a<end>", text(before.send(ascii("a"))));

            cm.getConfiguration(CLIENT, "?").update(new Hashtable<>(Map.of("start.tag", "[[")));

            // Declarative Services applies it asynchronously (the component has @Modified): probe with new flows.
            String wire = OsgiFixture.await("new flows to use the new start tag", () -> {
                try (DriverFlow probe = clientFlow(50081, 65432)) {
                    String sent = text(probe.send(ascii("hello")));
                    return sent.startsWith("[[") ? sent : null;
                }
            });
            assertEquals("[[hello<end>", wire);

            // A flow keeps the tags it started with, so the peer can still parse it.
            assertEquals("<start>b<end>", text(before.send(ascii("b"))));
        }
        // The new tags work both ways.
        try (DriverFlow flow = clientFlow(50082, 65432)) {
            assertEquals("[[x<end>", text(flow.send(ascii("x"))));
            assertEquals("x", text(flow.recv(ascii("[[x<end>"))));
        }
        assertEquals(List.of(), osgi.runtime().refusals());
        assertEquals("", osgi.runtime().module(CLIENT).lastProblem);
    }

    /** @return the stored parameters of the client module, or {@code null} if there is no configuration */
    private Dictionary<String, Object> stored() throws Exception {
        Configuration[] found = cm.listConfigurations("(service.pid=" + PARAMETERS_PID + ")");
        return found == null || found.length == 0 ? null : found[0].getProperties();
    }
}
