package layer45.itest;

import static layer45.itest.Bytes.ascii;
import static layer45.itest.Bytes.text;
import static layer45.itest.OsgiFixture.CLIENT;
import static layer45.itest.OsgiFixture.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import layer45.api.Transport;
import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.FlowDTO;
import layer45.api.runtime.FlowState;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Proves the operator's module controls on a running system, each against a flow that is open and customized:
 * deprecating (rule 11), deactivating and reactivating (rule 10), changing the chain order, unloading (refused
 * while in use, forced detaches cleanly and disables the DS component), and stopping the module's bundle. Flows
 * that lose their module keep working, uncustomized.
 */
class ModuleLifecycleIT {

    private OsgiFixture osgi;
    private InMemoryFlowDriver driver;

    @BeforeEach
    void boot() {
        osgi = OsgiFixture.start();
        driver = osgi.driver();
    }

    @AfterEach
    void shutdown() {
        if (osgi != null) {
            osgi.close();
        }
    }

    private DriverFlow echoClientFlow(int localPort) {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "python3", "127.0.0.1:" + localPort,
                "127.0.0.1:65432"));
    }

    private FlowDTO flow(DriverFlow flow) {
        long id = flow.tapped().id();
        return osgi.runtime().flows().stream().filter(f -> f.id == id).findFirst()
                .orElseThrow(() -> new AssertionError("flow " + id + " is not listed"));
    }

    @Test
    void deprecatedModuleKeepsItsFlowsAndTakesNoNewOnes() {
        try (DriverFlow attached = echoClientFlow(50010)) {
            assertEquals("<start>a<end>", text(attached.send(ascii("a"))));

            osgi.runtime().deprecate(CLIENT);
            ModuleDTO module = osgi.runtime().module(CLIENT);
            assertEquals(ModuleState.DEPRECATED, module.state);
            assertTrue(module.deprecatedAt > 0);
            assertEquals(1, module.usedBy);

            // The flow it had is still customized, both ways.
            assertEquals("<start>b<end>", text(attached.send(ascii("b"))));
            assertEquals("ab", text(attached.recv(ascii("<start>a<end><start>b<end>"))));
            assertEquals(List.of(CLIENT), List.of(flow(attached).modules));

            // A new matching flow is not.
            try (DriverFlow fresh = echoClientFlow(50011)) {
                assertEquals("c", text(fresh.send(ascii("c"))));
                assertEquals(Outcome.ORIGINAL, fresh.lastOutcome());
                assertEquals(0, flow(fresh).modules.length);
                assertEquals(FlowState.UNMATCHED, flow(fresh).state);
            }
            assertEquals(1, osgi.runtime().module(CLIENT).usedBy);

            // Deprecating again does nothing.
            osgi.runtime().deprecate(CLIENT);
            assertEquals(ModuleState.DEPRECATED, osgi.runtime().module(CLIENT).state);
        }
        assertEquals(0, osgi.runtime().module(CLIENT).usedBy);
    }

    @Test
    void inactiveModuleStaysAttachedButPassesTrafficUnchanged() {
        try (DriverFlow attached = echoClientFlow(50020)) {
            assertEquals("<start>a<end>", text(attached.send(ascii("a"))));

            osgi.runtime().setActive(CLIENT, false);
            ModuleDTO off = osgi.runtime().module(CLIENT);
            assertFalse(off.active);
            assertEquals(ModuleState.LIVE, off.state);
            assertEquals(1, off.usedBy, "an inactive module stays attached");

            assertEquals("b", text(attached.send(ascii("b"))));
            assertEquals(Outcome.ORIGINAL, attached.lastOutcome());
            assertEquals(List.of(CLIENT), List.of(flow(attached).modules));
            assertEquals(FlowState.CUSTOMIZED, flow(attached).state);
            assertEquals(1, osgi.runtime().module(CLIENT).usedBy);
            long callsWhileInactive = osgi.runtime().module(CLIENT).send.chunks;
            assertEquals(1, callsWhileInactive, "an inactive module is not called");

            osgi.runtime().setActive(CLIENT, true);
            assertTrue(osgi.runtime().module(CLIENT).active);
            assertEquals("<start>c<end>", text(attached.send(ascii("c"))));
            assertEquals(Outcome.CUSTOMIZED, attached.lastOutcome());
            assertEquals("<start>a<end>b<start>c<end>", text(attached.wire()));
            assertEquals(3, attached.applicationSent());
        }
    }

    @Test
    void priorityChangesTheChainOrderAtTheNextChunk() {
        // Give the server module a target that also matches this client flow, so both attach to it.
        osgi.runtime().setParameters(SERVER, Map.of("layer45.local.port", "50030"));
        try (DriverFlow both = echoClientFlow(50030)) {
            assertEquals(List.of(CLIENT, SERVER), List.of(flow(both).modules), "equal priorities: name order");
            assertEquals("<start>a<end>", text(both.send(ascii("a"))));
            assertEquals(1, osgi.runtime().module(CLIENT).send.customized);

            osgi.runtime().setPriority(SERVER, 10);
            assertEquals(10, osgi.runtime().module(SERVER).priority);
            assertEquals("<start>b<end>", text(both.send(ascii("b"))));
            assertEquals(List.of(SERVER, CLIENT), List.of(flow(both).modules), "lower priority first");
            // The server module now decides for the flow's chunks; the client module is not called any more.
            assertEquals(1, osgi.runtime().module(SERVER).send.customized);
            assertEquals(1, osgi.runtime().module(CLIENT).send.chunks);

            osgi.runtime().setPriority(CLIENT, 5);
            both.send(ascii("c"));
            assertEquals(List.of(CLIENT, SERVER), List.of(flow(both).modules));
        }
        Layer45Exception e = assertThrows(Layer45Exception.class, () -> osgi.runtime().setPriority(SERVER, 65536));
        assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
        assertEquals(10, osgi.runtime().module(SERVER).priority);
    }

    @Test
    void unloadIsRefusedWhileInUseAndForcedUnloadDetachesAndDisablesTheComponent() {
        try (DriverFlow attached = echoClientFlow(50040)) {
            assertEquals("<start>a<end>", text(attached.send(ascii("a"))));
            // The peer's frame is half way: the module holds its first bytes.
            assertEquals(0, attached.recv(ascii("<start>he")).length);
            assertEquals(Outcome.HELD, attached.lastOutcome());

            Layer45Exception inUse = assertThrows(Layer45Exception.class, () -> osgi.runtime().unload(CLIENT, false));
            assertEquals(ErrorCode.MODULE_IN_USE, inUse.code());
            assertTrue(inUse.getMessage().contains("1 flow"), inUse.getMessage());
            assertTrue(inUse.getMessage().contains("force"), inUse.getMessage());
            assertEquals(ModuleState.LIVE, osgi.runtime().module(CLIENT).state);
            assertEquals("<start>b<end>", text(attached.send(ascii("b"))));

            osgi.runtime().unload(CLIENT, true);
            assertTrue(osgi.runtime().modules().stream().noneMatch(m -> m.name.equals(CLIENT)));
            Layer45Exception unknown = assertThrows(Layer45Exception.class, () -> osgi.runtime().module(CLIENT));
            assertEquals(ErrorCode.UNKNOWN_MODULE, unknown.code());

            // The flow goes on uncustomized; the bytes the module held are passed on unchanged.
            assertEquals(0, flow(attached).modules.length);
            assertEquals("c", text(attached.send(ascii("c"))));
            assertEquals(Outcome.ORIGINAL, attached.lastOutcome());
            assertEquals("<start>hello<end>", text(attached.recv(ascii("llo<end>"))));
            assertEquals("<start>hello<end>", text(attached.app()));
            assertTrue(attached.asyncAborts().isEmpty());

            // Its DS component is disabled: its service is gone and does not come back.
            OsgiFixture.until("the echo-tag-client service to be unregistered",
                    () -> customizationServices(CLIENT).isEmpty());
            assertFalse(osgi.component(osgi.bundle("echo-tag"), CLIENT).enabled());
            assertTrue(osgi.component(osgi.bundle("echo-tag"), SERVER).enabled());
            assertEquals(1, customizationServices(SERVER).size());

            // A new flow to the echo server is not customized.
            try (DriverFlow fresh = echoClientFlow(50041)) {
                assertEquals("d", text(fresh.send(ascii("d"))));
                assertEquals(Outcome.ORIGINAL, fresh.lastOutcome());
            }
        }
        assertEquals(List.of(SERVER), osgi.runtime().modules().stream().map(m -> m.name).toList());
        assertTrue(osgi.runtime().refusals().isEmpty());
    }

    @Test
    void stoppingTheBundleRemovesBothModulesAndFlowsGoOnUncustomized() throws Exception {
        Bundle echoTag = osgi.bundle("echo-tag");
        try (DriverFlow client = echoClientFlow(50050);
                DriverFlow server = driver.open(InMemoryFlowDriver.flow(Transport.TCP, "python3",
                        "127.0.0.1:65432", "127.0.0.1:50051"))) {
            assertEquals("<start>a<end>", text(client.send(ascii("a"))));
            assertEquals(0, client.recv(ascii("<start>x")).length);
            assertEquals(List.of(SERVER), List.of(flow(server).modules));

            echoTag.stop();
            assertEquals(Bundle.RESOLVED, echoTag.getState());
            OsgiFixture.until("both echo modules to be unloaded", () -> osgi.runtime().modules().isEmpty());
            assertTrue(customizationServices(null).isEmpty());

            assertEquals(0, flow(client).modules.length);
            assertEquals(0, flow(server).modules.length);
            assertEquals("b", text(client.send(ascii("b"))));
            assertEquals(Outcome.ORIGINAL, client.lastOutcome());
            assertEquals("<start>xy<end>", text(client.recv(ascii("y<end>"))), "held bytes are passed on");
            assertEquals("s", text(server.send(ascii("s"))));
            assertEquals("<start>r<end>", text(server.recv(ascii("<start>r<end>"))));
            assertTrue(client.asyncAborts().isEmpty());
            assertTrue(server.asyncAborts().isEmpty());
            assertEquals(0, osgi.runtime().stats().flowsAborted);

            // Started again, the modules come back for new flows; the flows already open stay as they are.
            echoTag.start();
            osgi.awaitLive(CLIENT, SERVER);
            assertEquals("c", text(client.send(ascii("c"))));
            try (DriverFlow fresh = echoClientFlow(50052)) {
                assertEquals("<start>d<end>", text(fresh.send(ascii("d"))));
            }
        }
        assertTrue(osgi.runtime().refusals().isEmpty());
    }

    /**
     * @param name a component name, or {@code null} for all
     * @return the registered customization services with that component name
     */
    private List<ServiceReference<?>> customizationServices(String name) {
        return osgi.services(name == null ? "(objectClass=layer45.api.Customization)"
                : "(&(objectClass=layer45.api.Customization)(component.name=" + name + "))");
    }
}
