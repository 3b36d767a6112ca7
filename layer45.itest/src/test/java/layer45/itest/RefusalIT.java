package layer45.itest;

import static layer45.itest.Bytes.ascii;
import static layer45.itest.Bytes.text;
import static layer45.itest.OsgiFixture.CLIENT;
import static layer45.itest.OsgiFixture.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import layer45.api.Customization;
import layer45.api.Transport;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.runtime.RefusalDTO;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;

/**
 * Proves that customization registrations the runtime cannot run are refused with a reason an operator can act on,
 * in {@code refusals()} and in the log, while everything else keeps working: a target that does not parse, a
 * duplicate module name, and objects that are not customizations of this API. The misbehaving bundles are generated
 * and compiled by the test, since a real build would not produce them.
 */
class RefusalIT {

    /** Registers customizations the runtime must refuse; records what the framework says to the third. */
    private static final String ACTIVATOR = """
            package l45gen.refused;

            import java.util.Hashtable;
            import layer45.api.*;
            import org.osgi.framework.*;

            public final class Activator implements BundleActivator {
                /** The framework's answer to registering a non-customization under the customization's name. */
                public static volatile String rejected;

                public void start(BundleContext context) {
                    context.registerService(Customization.class, new Tagless(),
                            properties("broken-target", "layer45.remote.port", "70000"));
                    context.registerService(Customization.class, new Tagless(),
                            properties("echo-tag-client", "layer45.remote.port", "65432"));
                    try {
                        context.registerService("layer45.api.Customization", new NotACustomization(),
                                properties("not-a-customization"));
                        rejected = "registered";
                    } catch (IllegalArgumentException e) {
                        rejected = e.getMessage();
                    }
                    // A service factory is only checked when the service is obtained: the runtime gets null.
                    context.registerService("layer45.api.Customization", new ServiceFactory<Object>() {
                        public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                            return new NotACustomization();
                        }
                        public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object o) {
                        }
                    }, properties("factory-of-strangers"));
                }

                public void stop(BundleContext context) {
                }

                private static Hashtable<String, Object> properties(String name, String... more) {
                    Hashtable<String, Object> properties = new Hashtable<>();
                    properties.put("component.name", name);
                    for (int i = 0; i + 1 < more.length; i += 2) {
                        properties.put(more[i], more[i + 1]);
                    }
                    return properties;
                }
            }
            """;

    private static final String TAGLESS = """
            package l45gen.refused;

            import layer45.api.*;

            public final class Tagless implements Customization {
                public Verdict send(Chunk source, Output output, Flow flow) {
                    return Verdict.NO_CUSTOMIZATION;
                }

                public Verdict recv(Chunk source, Output output, Flow flow) {
                    return Verdict.NO_CUSTOMIZATION;
                }
            }
            """;

    private static final String NOT_A_CUSTOMIZATION = """
            package l45gen.refused;

            public final class NotACustomization {
            }
            """;

    /** A bundle with its own private copy of the API: its customization is not the runtime's Customization. */
    private static final String OTHER_API = """
            package layer45.api;

            public interface Customization {
                Object send(Object source, Object output, Object flow);
            }
            """;

    private static final String OTHER_ACTIVATOR = """
            package l45gen.othercopy;

            import java.util.Hashtable;
            import org.osgi.framework.*;

            public final class Activator implements BundleActivator {
                public void start(BundleContext context) {
                    Hashtable<String, Object> properties = new Hashtable<>();
                    properties.put("component.name", "other-api-copy");
                    context.registerService("layer45.api.Customization", new layer45.api.Customization() {
                        public Object send(Object source, Object output, Object flow) {
                            return null;
                        }
                    }, properties);
                }

                public void stop(BundleContext context) {
                }
            }
            """;

    private OsgiFixture osgi;
    private Path scratch;
    /** Held strongly: java.util.logging keeps loggers only weakly. */
    private Logger runtimeLog;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void boot() throws Exception {
        // The runtime logs through System.Logger, which is java.util.logging in the test JVM.
        runtimeLog = Logger.getLogger("layer45.runtime");
        runtimeLog.addHandler(capture);
        scratch = Files.createTempDirectory("layer45-itest-bundles-");
        osgi = OsgiFixture.start();
    }

    @AfterEach
    void shutdown() {
        try {
            if (osgi != null) {
                osgi.close();
            }
        } finally {
            runtimeLog.removeHandler(capture);
            OsgiFixture.delete(scratch);
        }
    }

    @Test
    void brokenRegistrationsAreRefusedWithReasonsWhileEverythingElseWorks() throws Exception {
        Path refused = GeneratedBundle.named("layer45.itest.refused")
                .header("Bundle-Activator", "l45gen.refused.Activator")
                .header("Import-Package", "layer45.api, org.osgi.framework")
                .source("l45gen.refused.Activator", ACTIVATOR)
                .source("l45gen.refused.Tagless", TAGLESS)
                .source("l45gen.refused.NotACustomization", NOT_A_CUSTOMIZATION)
                .compileAgainst(Customization.class)
                .compileAgainst(BundleActivator.class)
                .build(scratch);
        Bundle bundle = osgi.installAndStart(refused);
        assertEquals(Bundle.ACTIVE, bundle.getState());

        Map<String, RefusalDTO> refusals = OsgiFixture.await("three refusals", () -> {
            List<RefusalDTO> all = osgi.runtime().refusals();
            return all.size() >= 3 ? all.stream().collect(Collectors.toMap(r -> r.name, r -> r)) : null;
        });
        assertEquals(List.of("broken-target", "echo-tag-client", "factory-of-strangers"),
                refusals.keySet().stream().sorted().toList(), refusals::toString);
        for (RefusalDTO r : refusals.values()) {
            assertEquals("layer45.itest.refused", r.bundleSymbolicName, r.name);
            assertEquals(bundle.getBundleId(), r.bundleId, r.name);
            assertTrue(r.time > 0, r.name);
        }

        // A target that does not parse: what is wrong, and what would be right.
        String brokenTarget = refusals.get("broken-target").reason;
        assertContains(brokenTarget, "do not parse", "layer45.remote.port", "'70000'", "1-65535");
        assertLogged("broken-target", "layer45.remote.port");

        // A second module with a loaded module's name: which one, and how to resolve it.
        String duplicate = refusals.get(CLIENT).reason;
        assertContains(duplicate, "already loaded", "echo-tag", "another name", "unload");
        assertLogged(CLIENT, "already loaded");
        ModuleDTO client = osgi.runtime().module(CLIENT);
        assertEquals("echo-tag", client.bundleSymbolicName, "the first echo-tag-client stays");

        // A non-customization registered under the customization's name: the framework refuses it itself.
        String rejected = (String) bundle.loadClass("l45gen.refused.Activator").getField("rejected").get(null);
        assertNotNull(rejected);
        assertTrue(!rejected.equals("registered") && rejected.contains("layer45.api.Customization"),
                "the framework must refuse the registration: " + rejected);
        assertTrue(osgi.services("(component.name=not-a-customization)").isEmpty());

        // A service factory that hands out a non-customization: the framework gives the runtime nothing.
        String stranger = refusals.get("factory-of-strangers").reason;
        assertContains(stranger, "returned no service object", "log");
        assertLogged("factory-of-strangers", "returned no service object");

        assertEverythingElseWorks();
        assertEquals(3, osgi.runtime().stats().refusals);
    }

    @Test
    void aCustomizationBuiltAgainstAnotherCopyOfTheApiIsRefused() throws Exception {
        Path otherCopy = GeneratedBundle.named("layer45.itest.othercopy")
                .header("Bundle-Activator", "l45gen.othercopy.Activator")
                .header("Import-Package", "org.osgi.framework")
                .source("layer45.api.Customization", OTHER_API)
                .source("l45gen.othercopy.Activator", OTHER_ACTIVATOR)
                .compileAgainst(BundleActivator.class)
                .build(scratch);
        Bundle bundle = osgi.installAndStart(otherCopy);

        RefusalDTO refusal = OsgiFixture.await("the refusal of other-api-copy", () -> osgi.runtime().refusals()
                .stream().filter(r -> r.name.equals("other-api-copy")).findFirst().orElse(null));
        assertEquals("layer45.itest.othercopy", refusal.bundleSymbolicName);
        assertEquals(bundle.getBundleId(), refusal.bundleId);
        assertContains(refusal.reason, "is not a layer45.api.Customization", "another copy of the API",
                "import the API package");
        assertLogged("other-api-copy", "another copy of the API");

        assertEverythingElseWorks();
        assertEquals(1, osgi.runtime().refusals().size());
    }

    private void assertEverythingElseWorks() {
        Function<String, ModuleState> state = name -> osgi.runtime().module(name).state;
        assertEquals(ModuleState.LIVE, state.apply(CLIENT));
        assertEquals(ModuleState.LIVE, state.apply(SERVER));
        assertEquals(List.of(CLIENT, SERVER), osgi.runtime().modules().stream().map(m -> m.name).toList());
        try (DriverFlow flow = osgi.driver().open(
                InMemoryFlowDriver.flow(Transport.TCP, "python3", "127.0.0.1:50090", "127.0.0.1:65432"))) {
            assertEquals("<start>ok<end>", text(flow.send(ascii("ok"))));
            assertEquals("ok", text(flow.recv(ascii("<start>ok<end>"))));
            assertEquals(Outcome.CUSTOMIZED, flow.lastOutcome());
        }
    }

    private void assertLogged(String name, String text) {
        assertTrue(logged.stream().anyMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                && format(r).contains(name) && format(r).contains(text)),
                () -> "no warning about " + name + " (" + text + ") in the log: "
                        + logged.stream().map(RefusalIT::format).toList());
    }

    private static String format(LogRecord record) {
        String message = record.getMessage() == null ? "" : record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length > 0 && message.contains("{0")) {
            message = java.text.MessageFormat.format(message, parameters);
        }
        return message;
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "'" + part + "' missing from: " + text);
        }
    }
}
