package layer45.itest;

import static layer45.itest.OsgiFixture.CLIENT;
import static layer45.itest.OsgiFixture.SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.spi.FlowTap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Proves that the runtime boots in a real framework: every bundle resolves and starts, the runtime publishes its
 * services, loads both echo-tag modules with their declared targets and defaults, refuses nothing, and applies its
 * default settings. Also checks the test's own class space (see {@link OsgiFixture}).
 */
class RuntimeBootIT {

    private static OsgiFixture osgi;

    @BeforeAll
    static void boot() {
        osgi = OsgiFixture.start();
    }

    @AfterAll
    static void shutdown() {
        if (osgi != null) {
            osgi.close();
        }
    }

    @Test
    void everyBundleIsActive() {
        for (Bundle bundle : osgi.context().getBundles()) {
            assertEquals(Bundle.ACTIVE, bundle.getState(), () -> bundle.getSymbolicName() + " is not ACTIVE");
        }
        List<String> names = Arrays.stream(osgi.context().getBundles()).map(Bundle::getSymbolicName).toList();
        assertTrue(names.containsAll(List.of("org.apache.felix.scr", "org.apache.felix.configadmin", "layer45.runtime",
                "echo-tag")), names::toString);
        assertTrue(names.stream().noneMatch("layer45.api"::equals),
                "the API bundle must not be installed: the system bundle exports the API to share it with the test");
    }

    @Test
    void bothEchoModulesAreLiveWithTheirDeclaredTargets() {
        Map<String, ModuleDTO> modules = osgi.runtime().modules().stream()
                .collect(Collectors.toMap(m -> m.name, m -> m));
        assertEquals(List.of(CLIENT, SERVER), modules.keySet().stream().sorted().toList());

        for (ModuleDTO m : modules.values()) {
            assertEquals(ModuleState.LIVE, m.state, m.name);
            assertTrue(m.active, m.name);
            assertEquals(1000, m.priority, m.name);
            assertEquals("echo-tag", m.bundleSymbolicName, m.name);
            assertEquals(osgi.bundle("echo-tag").getBundleId(), m.bundleId, m.name);
            assertEquals(0, m.usedBy, m.name);
            assertEquals("", m.deactivatedReason, m.name);
            assertTrue(m.loadedAt > 0, m.name);
            assertArrayEquals(new String[] { "*" }, m.target.process, m.name);
            assertEquals(List.of("tcp", "udp"), Arrays.stream(m.target.protocol).sorted().toList(), m.name);
        }
        ModuleDTO client = modules.get(CLIENT);
        assertArrayEquals(new String[] { "65432" }, client.target.remotePort);
        assertArrayEquals(new String[0], client.target.localPort);
        ModuleDTO server = modules.get(SERVER);
        assertArrayEquals(new String[] { "65432" }, server.target.localPort);
        assertArrayEquals(new String[0], server.target.remotePort);

        assertEquals(2, osgi.runtime().stats().modules);
    }

    @Test
    void nothingIsRefused() {
        assertEquals(List.of(), osgi.runtime().refusals());
        assertEquals(0, osgi.runtime().stats().refusals);
    }

    @Test
    void settingsAreTheDefaults() {
        Map<String, Object> settings = osgi.runtime().settings();
        assertEquals(5, ((Number) settings.get("max.chain")).intValue(), settings::toString);
        assertEquals(1000, ((Number) settings.get("call.budget.ms")).longValue(), settings::toString);
        assertEquals(10, ((Number) settings.get("fault.budget")).intValue(), settings::toString);
        assertEquals(60, ((Number) settings.get("fault.window.s")).longValue(), settings::toString);
        assertEquals(1 << 20, ((Number) settings.get("output.limit")).intValue(), settings::toString);
        assertEquals(256 << 10, ((Number) settings.get("hold.limit")).intValue(), settings::toString);
    }

    @Test
    void theTestSharesTheApiAndConfigurationAdminWithTheBundles() {
        // The services are usable as the host's own types: one copy of the API.
        assertSame(osgi.tap(), osgi.service(FlowTap.class));
        assertSame(osgi.runtime(), osgi.service(CustomizationRuntime.class));
        assertNotNull(osgi.configurationAdmin());

        // The runtime imports the API from the system bundle, and Configuration Admin imports org.osgi.service.cm
        // from there too rather than using its own export.
        assertEquals(0, providerOf(osgi.bundle("layer45.runtime"), "layer45.api"));
        assertEquals(0, providerOf(osgi.bundle("layer45.runtime"), "layer45.api.spi"));
        assertEquals(0, providerOf(osgi.bundle("layer45.runtime"), "org.osgi.service.cm"));
        assertEquals(0, providerOf(osgi.bundle("echo-tag"), "layer45.api"));
        assertEquals(0, providerOf(osgi.bundle("org.apache.felix.configadmin"), "org.osgi.service.cm"));
        assertEquals(0, providerOf(osgi.bundle("org.apache.felix.scr"), "org.osgi.service.cm"));

        // The bundles under test are not on the test's class path: the framework is the only way to them.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("layer45.runtime.Layer45Runtime"));
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("layer45.customizations.echotag.EchoTag"));
        assertSame(RuntimeBootIT.class.getClassLoader(), ConfigurationAdmin.class.getClassLoader(),
                "org.osgi.service.cm must come from the test's class path");
    }

    /** @return the id of the bundle that provides {@code pkg} to {@code bundle} */
    private static long providerOf(Bundle bundle, String pkg) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        for (BundleWire wire : wiring.getRequiredWires("osgi.wiring.package")) {
            if (pkg.equals(wire.getCapability().getAttributes().get("osgi.wiring.package"))) {
                return wire.getProvider().getBundle().getBundleId();
            }
        }
        throw new AssertionError(bundle.getSymbolicName() + " does not import " + pkg);
    }
}
