package layer45.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.spi.FlowTap;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A real Felix framework with SCR, Configuration Admin, the layer45 runtime bundle and the echo-tag customization
 * bundle, in a fresh storage directory that {@link #close()} deletes (also when a test failed).
 *
 * <h2>Class space: why the API comes from the system bundle</h2>
 * The tests run on the host class path and call the runtime's {@link FlowTap} and {@link CustomizationRuntime}
 * services directly, and hand it {@code layer45.api} objects ({@code FlowInfo}, sinks) through the in-memory flow
 * driver. For that the host and the bundles must share one copy of the API classes, so the system bundle exports
 * {@code layer45.api}, {@code layer45.api.spi} and {@code layer45.api.runtime} from the class path
 * ({@code org.osgi.framework.system.packages.extra}) and the {@code layer45.api} bundle is <em>not</em> installed:
 * with both, bundles could wire to either copy and the services would not be castable here. The same goes for
 * {@code org.osgi.service.cm}, so the tests can use {@link ConfigurationAdmin} as an operator's tool would; Felix
 * Configuration Admin both exports and imports that package, and its import picks the system bundle's export
 * (checked in {@code RuntimeBootIT}). The real assembly, where the API is a bundle of its own, is checked by
 * {@code cnf}'s resolve/export and the launch smoke test, not here.
 *
 * <p>The DS API, promise and function packages are installed as bundles and not shared (share or install, never
 * both): the tests reach {@code ServiceComponentRuntime} by reflection.
 */
final class OsgiFixture implements AutoCloseable {

    /** How long to wait for anything asynchronous: services, modules, configuration events. */
    static final Duration WAIT = Duration.ofSeconds(10);

    /** System property (set by failsafe) naming the directory with the bundle jars, as {@code <artifactId>.jar}. */
    static final String BUNDLES_PROPERTY = "layer45.it.bundles";

    /** The bundles every test framework gets, in installation order. */
    static final List<String> BUNDLES = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.configadmin", "org.apache.felix.scr", "commons-io",
            "org.apache.felix.gogo.runtime", "layer45.runtime", "echo-tag");

    /** What the system bundle exports from the class path, beyond the JDK and the OSGi core packages. */
    static final String SYSTEM_PACKAGES_EXTRA = String.join(",",
            "layer45.api;version=1.1.0", // as layer45/api/package-info.java says
            "layer45.api.spi;version=1.0.0",
            "layer45.api.runtime;version=1.0.0",
            "org.osgi.service.cm;version=1.6.0");

    /** The service interface of customizations. */
    static final String CUSTOMIZATION = "layer45.api.Customization";

    /** Declarative Services' introspection service, reached by reflection. */
    static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    /** The autoload folder, inside the framework's temporary folder. */
    static final String AUTOLOAD = "autoload";

    /** The control socket, inside the framework's temporary folder. */
    static final String CONTROL_SOCKET = "control/layer45.sock";

    /** The echo-tag modules. */
    static final String CLIENT = "echo-tag-client";
    static final String SERVER = "echo-tag-server";

    private final Path storage;
    private final Framework framework;
    private final Map<String, Bundle> bundles = new LinkedHashMap<>();
    private final FlowTap tap;
    private final CustomizationRuntime runtime;

    private OsgiFixture(Path storage, Framework framework, List<String> install) throws BundleException {
        this.storage = storage;
        this.framework = framework;
        BundleContext context = framework.getBundleContext();
        Path dir = bundleDirectory();
        for (String name : install) {
            Path jar = dir.resolve(name + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("bundle " + jar + " is missing: run the module with 'mvn verify',"
                        + " whose pre-integration-test phase copies the bundles there");
            }
            bundles.put(name, context.installBundle(jar.toUri().toString()));
        }
        for (Bundle bundle : bundles.values()) {
            bundle.start();
        }
        this.tap = await("the FlowTap service", () -> service(FlowTap.class));
        this.runtime = await("the CustomizationRuntime service", () -> service(CustomizationRuntime.class));
    }

    /**
     * Boots a framework with {@link #BUNDLES} and waits for the runtime and both echo-tag modules.
     *
     * @return the running framework; close it
     */
    static OsgiFixture start() {
        return start(Map.of());
    }

    /**
     * Boots a framework like {@link #start()}, with more framework properties, such as {@code layer45.<key>}
     * overrides of the runtime's configuration.
     *
     * @param extra properties to add
     * @return the running framework; close it
     */
    static OsgiFixture start(Map<String, String> extra) {
        OsgiFixture fixture = boot(extra, BUNDLES);
        fixture.awaitLive(CLIENT, SERVER);
        return fixture;
    }

    /**
     * Boots a framework with the runtime and no customization bundle, for tests that load them themselves.
     *
     * @param extra framework properties to add
     * @return the running framework; close it
     */
    static OsgiFixture startWithoutModules(Map<String, String> extra) {
        return boot(extra, BUNDLES.stream().filter(name -> !name.equals("echo-tag")).toList());
    }

    private static OsgiFixture boot(Map<String, String> extra, List<String> install) {
        Path storage = null;
        Framework framework = null;
        try {
            storage = Files.createTempDirectory("layer45-itest-");
            Map<String, String> properties = new HashMap<>();
            properties.put(Constants.FRAMEWORK_STORAGE, storage.resolve("felix").toString());
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA);
            // As in the real assembly: a replaced jar's bundle is installed next to the old one while that drains.
            properties.put("org.osgi.framework.bsnversion", "multiple");
            // Relative paths of the runtime (its autoload folder) stay inside this framework's own folder.
            properties.put("layer45.home", storage.toString());
            properties.put("layer45.autoload.dir", AUTOLOAD);
            // Each framework's control socket in its own folder, never the system's /run/layer45 (tests run as root).
            properties.put("layer45.control.socket", storage.resolve(CONTROL_SOCKET).toString());
            // The runtime creates the folder on its own thread; a test may drop a jar before that ran.
            Files.createDirectories(storage.resolve(AUTOLOAD));
            properties.putAll(extra);
            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
            framework = factory.newFramework(properties);
            framework.init();
            framework.start();
            return new OsgiFixture(storage, framework, install);
        } catch (Throwable t) {
            try {
                stop(framework);
            } catch (Throwable s) {
                t.addSuppressed(s);
            }
            delete(storage);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("cannot start the test framework: " + t, t);
        }
    }

    /** @return the directory holding the bundle jars */
    static Path bundleDirectory() {
        String dir = System.getProperty(BUNDLES_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("system property " + BUNDLES_PROPERTY + " is not set: run the tests with"
                    + " 'mvn verify' (failsafe sets it)");
        }
        return Paths.get(dir);
    }

    /** @return the runtime's autoload folder (unless a test set another) */
    Path autoload() {
        return storage.resolve(AUTOLOAD);
    }

    /** @return the runtime's control socket (unless a test set another) */
    Path controlSocket() {
        return storage.resolve(CONTROL_SOCKET);
    }

    /** @return the framework */
    Framework framework() {
        return framework;
    }

    /** @return the system bundle's context */
    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * @param name the artifact id it was installed from, such as {@code echo-tag}
     * @return the bundle
     */
    Bundle bundle(String name) {
        Bundle bundle = bundles.get(name);
        if (bundle == null) {
            throw new IllegalArgumentException("no bundle " + name + " installed; known: " + bundles.keySet());
        }
        return bundle;
    }

    /**
     * Installs and starts one more bundle.
     *
     * @param jar the bundle
     * @return the started bundle
     * @throws BundleException if it cannot be installed or started
     */
    Bundle installAndStart(Path jar) throws BundleException {
        Bundle bundle = context().installBundle(jar.toUri().toString());
        bundle.start();
        return bundle;
    }

    /** @return the runtime's entry point for stacks */
    FlowTap tap() {
        return tap;
    }

    /** @return the runtime's management façade */
    CustomizationRuntime runtime() {
        return runtime;
    }

    /** @return an in-memory flow driver on the runtime's FlowTap service */
    InMemoryFlowDriver driver() {
        return new InMemoryFlowDriver(tap);
    }

    /** @return Configuration Admin, shared with the host through the system bundle */
    ConfigurationAdmin configurationAdmin() {
        return await("the ConfigurationAdmin service", () -> service(ConfigurationAdmin.class));
    }

    /**
     * @param type a service interface the host shares with the framework
     * @return the service, or {@code null} if none is registered
     */
    <T> T service(Class<T> type) {
        ServiceReference<T> reference = context().getServiceReference(type);
        return reference == null ? null : context().getService(reference);
    }

    /**
     * @param filter an LDAP filter
     * @return the references of all services matching it, whatever their class space; empty if none
     */
    List<ServiceReference<?>> services(String filter) {
        try {
            ServiceReference<?>[] found = context().getAllServiceReferences(null, filter);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Waits until every named module is loaded and LIVE.
     *
     * @param names module names
     */
    void awaitLive(String... names) {
        for (String name : names) {
            try {
                until("module " + name + " to be LIVE", () -> {
                    if (runtime.modules().stream().anyMatch(m -> m.name.equals(name) && m.state == ModuleState.LIVE)) {
                        return true;
                    }
                    // No point waiting for a component that is declared without the customization service.
                    for (Bundle bundle : bundles.values()) {
                        for (Component c : components(bundle)) {
                            if (c.name().equals(name) && !c.services().contains(CUSTOMIZATION)) {
                                throw new GiveUp("component " + name + " of " + bundle.getSymbolicName()
                                        + " does not provide " + CUSTOMIZATION + " (its services: " + c.services()
                                        + "); declare @Component(service = Customization.class)");
                            }
                        }
                    }
                    return false;
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; " + diagnostics(), e.getCause());
            }
        }
    }

    /** A Declarative Services component, as SCR describes it. */
    record Component(String name, List<String> services, boolean enabled, List<Integer> configurationStates) {
    }

    /**
     * Asks Declarative Services about a bundle's components. The DS API is not shared with the test (its bundle is
     * installed instead), so this goes through reflection on the API bundle's own types.
     *
     * @param bundle a bundle
     * @return its components; empty if SCR is not running
     */
    List<Component> components(Bundle bundle) {
        ServiceReference<?> reference = context().getServiceReference(SCR);
        Object scr = reference == null ? null : context().getService(reference);
        if (scr == null) {
            return List.of();
        }
        try {
            Bundle api = bundle("org.osgi.service.component");
            Class<?> type = api.loadClass(SCR);
            Class<?> descriptionType = api.loadClass("org.osgi.service.component.runtime.dto.ComponentDescriptionDTO");
            Collection<?> descriptions = (Collection<?>) type.getMethod("getComponentDescriptionDTOs", Bundle[].class)
                    .invoke(scr, (Object) new Bundle[] { bundle });
            List<Component> components = new ArrayList<>();
            for (Object description : descriptions) {
                String name = (String) descriptionType.getField("name").get(description);
                String[] services = (String[]) descriptionType.getField("serviceInterfaces").get(description);
                boolean enabled = (Boolean) type.getMethod("isComponentEnabled", descriptionType).invoke(scr,
                        description);
                List<Integer> states = new ArrayList<>();
                for (Object configuration : (Collection<?>) type.getMethod("getComponentConfigurationDTOs",
                        descriptionType).invoke(scr, description)) {
                    states.add((Integer) configuration.getClass().getField("state").get(configuration));
                }
                components.add(new Component(name, List.of(services), enabled, states));
            }
            return components;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask Declarative Services about " + bundle + ": " + e, e);
        } finally {
            context().ungetService(reference);
        }
    }

    /**
     * @param bundle a bundle
     * @param name a component name
     * @return the component
     */
    Component component(Bundle bundle, String name) {
        return components(bundle).stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + name + " in " + bundle));
    }

    /** @return bundles, modules, refusals and customization services, for failure messages */
    String diagnostics() {
        StringBuilder out = new StringBuilder("bundles:");
        for (Bundle b : context().getBundles()) {
            out.append(' ').append(b.getSymbolicName()).append('[').append(b.getBundleId()).append("]=")
                    .append(b.getState());
        }
        out.append("; modules: ").append(runtime.modules().stream().map(m -> m.name + " " + m.state).toList());
        out.append("; refusals: ").append(runtime.refusals().stream().map(r -> r.name + ": " + r.reason).toList());
        Bundle echoTag = bundles.get("echo-tag");
        if (echoTag != null) {
            out.append("; echo-tag components: ").append(components(echoTag));
        }
        out.append("; customization services: ").append(services("(objectClass=layer45.api.Customization)").stream()
                .map(r -> r.getProperty("component.name") + " from " + r.getBundle()).toList());
        return out.toString();
    }

    /**
     * @param name a module name
     * @return the module, or {@code null} if it is not loaded
     */
    ModuleDTO moduleOrNull(String name) {
        return runtime.modules().stream().filter(m -> m.name.equals(name)).findFirst().orElse(null);
    }

    /**
     * Polls until {@code probe} answers something other than {@code null} or {@code false}, for at most {@link #WAIT}
     * and at most 2000 tries.
     *
     * @param what what is awaited, for the failure message
     * @param probe the check; exceptions count as "not yet" (the last one is reported), except {@link GiveUp}
     * @return the probe's answer
     */
    static <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Throwable last = null;
        for (int attempt = 0; attempt < 2000; attempt++) {
            try {
                T value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (GiveUp e) {
                throw e;
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("gave up waiting for " + what + " after " + WAIT.toSeconds() + " s", last);
    }

    /** Thrown by a probe of {@link #await} when waiting longer cannot help. */
    static final class GiveUp extends AssertionError {
        private static final long serialVersionUID = 1L;

        GiveUp(String message) {
            super(message);
        }
    }

    /**
     * Polls until a condition holds, like {@link #await}.
     *
     * @param what what is awaited
     * @param condition the condition
     */
    static void until(String what, BooleanSupplier condition) {
        await(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Stops the framework (waiting at most 10 s) and deletes its storage, whatever happens. */
    @Override
    public void close() {
        try {
            stop(framework);
        } finally {
            delete(storage);
        }
    }

    private static void stop(Framework framework) {
        if (framework == null || (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
            return;
        }
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(10_000);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                throw new AssertionError("the test framework did not stop within 10 s");
            }
        } catch (BundleException e) {
            throw new AssertionError("the test framework failed to stop: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the test framework", e);
        }
    }

    static void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        List<IOException> failures = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    failures.add(e);
                }
            });
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            System.err.println("layer45.itest: could not delete all of " + root + ": " + failures.getFirst());
        }
    }
}
