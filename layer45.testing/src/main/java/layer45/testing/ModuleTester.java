package layer45.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import layer45.api.Customization;
import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.ModuleDTO;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.ModuleHost;
import layer45.runtime.ParameterStore;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;
import layer45.runtime.module.ModuleRegistry;

/**
 * Unit-tests a customization module without OSGi and without a network: the module runs in the real layer45
 * runtime, through its chain, its views, its rule checks and its byte accounting, on flows the test drives in
 * memory.
 *
 * <pre>{@code
 * try (ModuleTester tester = ModuleTester.activate(UpperCase.class, "greeting", "hi")) {   // as DS would
 *     try (TestFlow flow = tester.flow(FlowSpec.tcp().to("127.0.0.1", 8000).process("curl"))) {
 *         flow.send("hello").expectOutput("HELLO").expectVerdict(Verdict.DELIVER);
 *         assertEquals(5, flow.applicationSent());
 *     }
 *     assertFalse(tester.matches(FlowSpec.tcp().to("127.0.0.1", 22)));
 * }
 * }</pre>
 *
 * <h2>The module as the runtime sees it</h2>
 * The module's name and service properties (its target, priority, and its own configuration's defaults) come from
 * its Declarative Services descriptor, {@code OSGI-INF/<name>.xml}, which bnd-maven-plugin writes from the
 * {@code @Component} and {@code @CustomizationService} annotations before the tests run
 * ({@link ComponentDescriptor}). {@link #activate(Class, Object...)} also creates the component and calls its
 * activate method with its configuration, as DS does; {@link #configure(Object...)} calls its modified method.
 *
 * <h2>Rule breaks</h2>
 * A module that breaks one of the module rules fails the test with an {@link AssertionError} that names the rule,
 * says what the module did and where, and how to fix it: the same text the runtime logs in production (see
 * {@link TestFlow}). Besides the runtime's own checks, the tester looks after every call for a Chunk, Output or
 * Flow kept in the module's fields or per-flow state, which the runtime would catch only when it is used.
 *
 * <p>A tester starts its runtime at the first flow or question about the target; {@link #property} and the modules
 * ({@link #with}) go before that, and a {@link #setting} given later applies to the running runtime. Close it
 * (try-with-resources) to stop the runtime's watchdog thread. Flows of one tester may run on several threads at
 * once, as the runtime's flows do; set the tester up on one.
 */
public final class ModuleTester implements AutoCloseable {

    private final List<Loaded> modules = new ArrayList<>();
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private Layer45Runtime runtime;
    private InMemoryFlowDriver driver;

    /** A module to load: what it is, and the module the runtime made of it. */
    private static final class Loaded {
        final Customization instance;
        final String name;
        final Map<String, Object> properties;
        final ComponentDescriptor descriptor;
        final Recorder recorder;
        Module module;

        Loaded(Customization instance, String name, Map<String, ?> properties, ComponentDescriptor descriptor) {
            this.instance = Objects.requireNonNull(instance, "module");
            this.name = Objects.requireNonNull(name, "name");
            this.properties = new LinkedHashMap<>(properties);
            this.descriptor = descriptor;
            this.recorder = new Recorder(instance, name);
        }
    }

    private ModuleTester(Loaded first) {
        modules.add(first);
    }

    /**
     * Tests a module object as it is, with the name and properties of its component descriptor.
     *
     * @param module the module, created and configured by the test
     * @return the tester
     * @throws IllegalArgumentException if the module's class has no component descriptor
     */
    public static ModuleTester of(Customization module) {
        ComponentDescriptor d = ComponentDescriptor.of(module.getClass());
        return new ModuleTester(new Loaded(module, d.name(), d.properties(), d));
    }

    /**
     * Tests a module object with a name and service properties given by the test, without a descriptor.
     *
     * @param module the module
     * @param name its name
     * @param properties its service properties: the {@code layer45.*} target and control properties of
     *        {@link layer45.api.CustomizationService}, such as {@code layer45.remote.port}; none matches every flow
     * @return the tester
     */
    public static ModuleTester of(Customization module, String name, Map<String, ?> properties) {
        return new ModuleTester(new Loaded(module, name, properties, null));
    }

    /**
     * Creates the component as Declarative Services does: its public no-argument constructor, then its activate
     * method with its configuration (the descriptor's properties, overridden by {@code namesAndValues}).
     *
     * @param type the component's class
     * @param namesAndValues configuration properties, each name followed by its value, such as
     *        {@code "start.tag", "[["} or {@code "layer45.remote.port", "8080"}
     * @return the tester
     * @throws IllegalArgumentException if the class has no descriptor, cannot be created, or its activate method
     *         takes parameters DS would not give
     */
    public static ModuleTester activate(Class<? extends Customization> type, Object... namesAndValues) {
        return new ModuleTester(activated(type, namesAndValues));
    }

    private static Loaded activated(Class<? extends Customization> type, Object... namesAndValues) {
        ComponentDescriptor d = ComponentDescriptor.of(type);
        Map<String, Object> properties = merge(d.properties(), namesAndValues);
        Customization instance = create(type);
        invoke(instance, d.activate(), properties, "activate");
        return new Loaded(instance, d.name(), properties, d);
    }

    /**
     * Adds another module to the chain, with the name and properties of its descriptor: to test modules together,
     * in priority order.
     *
     * @param other the other module
     * @return this tester
     */
    public ModuleTester with(Customization other) {
        ComponentDescriptor d = ComponentDescriptor.of(other.getClass());
        return add(new Loaded(other, d.name(), d.properties(), d));
    }

    /**
     * Adds another module to the chain, created as Declarative Services does, as {@link #activate} creates the tested
     * one: to test a client module and its server side together, say.
     *
     * @param type the other component's class
     * @param namesAndValues its configuration, each property name followed by its value
     * @return this tester
     */
    public ModuleTester with(Class<? extends Customization> type, Object... namesAndValues) {
        return add(activated(type, namesAndValues));
    }

    /**
     * Adds another module to the chain, with a name and properties given by the test.
     *
     * @param other the other module
     * @param name its name
     * @param properties its service properties
     * @return this tester
     */
    public ModuleTester with(Customization other, String name, Map<String, ?> properties) {
        return add(new Loaded(other, name, properties, null));
    }

    private ModuleTester add(Loaded loaded) {
        notStarted("add a module");
        modules.add(loaded);
        return this;
    }

    /**
     * Sets a runtime setting, as {@code conf/layer45.conf} or {@code --set} would: {@code call.budget.ms},
     * {@code max.chain}, {@code output.limit}, {@code hold.limit}, {@code fault.budget}, {@code fault.window.s}.
     *
     * <p>Before the first flow, the runtime starts with it. Once the runtime runs, it applies at once, as when an
     * operator edits the configuration of a running runtime: open flows use it from their next chunk, and a module
     * bound to the runtime ({@link #operator()}) reads the new value in its {@code settings()}. To test what a module
     * does when an operator raises its call budget, say:
     *
     * <pre>{@code
     * try (TestFlow before = tester.flow(WEB)) { ... }
     * tester.setting("call.budget.ms", 4000);
     * try (TestFlow after = tester.flow(WEB)) { ... }
     * }</pre>
     *
     * @param key the setting
     * @param value its value
     * @return this tester
     * @throws IllegalArgumentException once the runtime runs, if the value does not parse or is out of range (the
     *         settings stay as they were); before, the first flow throws it
     */
    public ModuleTester setting(String key, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(settings);
        changed.put(key, value);
        if (runtime != null) {
            runtime.updateSettings(RuntimeSettings.from(changed));
        }
        settings.put(key, value);
        return this;
    }

    /**
     * Overrides a service property of the tested module before it is loaded, as an operator's
     * {@code insmod jar key=value} would: {@code layer45.priority}, {@code layer45.remote.port}, ...
     *
     * @param key the property
     * @param value its value
     * @return this tester
     * @throws IllegalStateException once the runtime has started
     */
    public ModuleTester property(String key, Object value) {
        notStarted("change a property");
        modules.getFirst().properties.put(key, value);
        return this;
    }

    /**
     * Reconfigures the tested module as DS does when its configuration changes: calls its modified method with the
     * changed configuration, and hands the runtime the changed service properties (a changed target applies to new
     * flows).
     *
     * @param namesAndValues the changed properties, each name followed by its value
     * @throws IllegalStateException if the component has no modified method (DS would deactivate it and create a new
     *         one: make a new tester)
     */
    public void configure(Object... namesAndValues) {
        reconfigure(name(), namesAndValues);
    }

    /**
     * Reconfigures one module of the chain, the tested one or one added with {@link #with}, as
     * {@link #configure(Object...)} does.
     *
     * @param module the module's name
     * @param namesAndValues the changed properties, each name followed by its value
     * @throws IllegalArgumentException if no module has that name
     * @throws IllegalStateException if the component has no modified method
     */
    public void reconfigure(String module, Object... namesAndValues) {
        Loaded loaded = modules.stream().filter(m -> m.name.equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no module is named '" + module + "'; the modules"
                        + " are " + modules.stream().map(m -> m.name).toList()));
        if (loaded.descriptor == null || loaded.descriptor.modified().isEmpty()) {
            throw new IllegalStateException("module '" + loaded.name + "' has no @Modified method: Declarative"
                    + " Services would create a new instance for a new configuration, so create a new tester");
        }
        Map<String, Object> changed = new LinkedHashMap<>(loaded.properties);
        changed.putAll(merge(Map.of(), namesAndValues));
        invoke(loaded.instance, loaded.descriptor.modified(), changed, "modified");
        loaded.properties.putAll(changed); // only once the module took it, as DS keeps a refused configuration out
        if (runtime != null) {
            runtime.servicePropertiesChanged(loaded.module, loaded.properties);
        }
    }

    /** @return the tested module's name, as the runtime and operators know it */
    public String name() {
        return modules.getFirst().name;
    }

    /**
     * @param <T> its class
     * @param type its class
     * @return the module object of that class: the tested one, or one added with {@link #with}
     * @throws IllegalArgumentException if no module is of that class
     */
    public <T extends Customization> T module(Class<T> type) {
        return modules.stream().map(m -> m.instance).filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no module is a " + type.getName()));
    }

    /**
     * The runtime as operators drive it ({@code activate}, {@code deactivate}, {@code priority}, {@code param},
     * {@code rmmod}, {@code lsmod}), to test what a module does when they do; also the service a module may bind to
     * (the runtime's settings, such as its call budget).
     *
     * @return the runtime's management interface; starts the runtime
     */
    public CustomizationRuntime operator() {
        started();
        return runtime;
    }

    /** @return the tested module's service properties, as loaded */
    public Map<String, Object> properties() {
        return Map.copyOf(modules.getFirst().properties);
    }

    /** @return the tested module's target as operators see it in {@code lsmod}, such as {@code udp remote *:53} */
    public String target() {
        return started().settings().target().toString();
    }

    /**
     * @param flow a flow
     * @return whether the tested module's target matches it: whether the runtime would attach the module
     */
    public boolean matches(FlowSpec flow) {
        return started().settings().target().matches(flow.info());
    }

    /**
     * Opens a flow that the tested module's target matches, or another module's of the chain ({@link #with}).
     * {@link Step#verdict()} is always the tested module's.
     *
     * @param spec the flow's facts
     * @return the flow; close it when done
     * @throws AssertionError if no module's target matches it, with the targets
     */
    public TestFlow flow(FlowSpec spec) {
        started();
        if (modules.stream().noneMatch(m -> m.module.settings().target().matches(spec.info()))) {
            throw new AssertionError("no module matches the flow " + spec + ": " + targets() + ". Change the flow,"
                    + " or the module's target (@CustomizationService); use otherFlow to test a flow the modules must"
                    + " leave alone");
        }
        return open(spec);
    }

    private String targets() {
        return String.join(", ", modules.stream().map(m -> "'" + m.name + "' targets "
                + m.module.settings().target()).toList());
    }

    /**
     * Opens a flow that no module's target matches, to check it is left alone.
     *
     * @param spec the flow's facts
     * @return the flow
     * @throws AssertionError if a module's target matches it
     */
    public TestFlow otherFlow(FlowSpec spec) {
        started();
        if (modules.stream().anyMatch(m -> m.module.settings().target().matches(spec.info()))) {
            throw new AssertionError("a module matches the flow " + spec + ", which they should leave alone: "
                    + targets());
        }
        return open(spec);
    }

    private TestFlow open(FlowSpec spec) {
        started();
        return new TestFlow(driver.open(spec.info()), modules.getFirst().recorder, spec.info());
    }

    /**
     * @return the tested module as {@code lsmod} and {@code modinfo} show it: state, used count, and its counters
     *         (chunks, bytes, errors, faults) in each direction
     */
    public ModuleDTO moduleInfo() {
        started();
        return runtime.module(name());
    }

    /** Stops the runtime. */
    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private synchronized Module started() {
        if (runtime == null) {
            runtime = new Layer45Runtime(settings.isEmpty() ? RuntimeSettings.DEFAULTS : RuntimeSettings.from(settings),
                    ParameterStore.inMemory(), ModuleHost.NONE);
            driver = new InMemoryFlowDriver(runtime);
            for (Loaded loaded : modules) {
                load(loaded);
            }
        }
        return modules.getFirst().module;
    }

    private void load(Loaded loaded) {
        String brokenPath = ModuleRegistry.checkPaths(loaded.instance);
        if (brokenPath != null) {
            throw new AssertionError("module '" + loaded.name + "' " + brokenPath);
        }
        try {
            loaded.module = runtime.load(loaded.name, loaded.recorder, loaded.properties, ModuleOrigin.NONE);
        } catch (ModuleRefusedException e) {
            throw new AssertionError("the runtime refused module '" + loaded.name + "': " + e.getMessage(), e);
        }
    }

    private void notStarted(String what) {
        if (runtime != null) {
            throw new IllegalStateException("cannot " + what + " once the runtime has started (at the first flow);"
                    + " do it right after creating the tester");
        }
    }

    private static Map<String, Object> merge(Map<String, ?> properties, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs, such as \"start.tag\", \"[[\"");
        }
        Map<String, Object> merged = new LinkedHashMap<>(properties);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            merged.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return merged;
    }

    private static Customization create(Class<? extends Customization> type) {
        try {
            Constructor<? extends Customization> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no constructor without parameters, which"
                    + " Declarative Services needs (constructor injection is not supported here)", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of " + type.getName() + " threw " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create " + type.getName() + ": " + e, e);
        }
    }

    /** Calls a lifecycle method as DS does: each parameter a component property type or the properties map. */
    private static void invoke(Object instance, String methodName, Map<String, Object> properties, String what) {
        if (methodName.isEmpty()) {
            return;
        }
        Method method = lifecycleMethod(instance.getClass(), methodName);
        Object[] args = new Object[method.getParameterCount()];
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            if (types[i].isAnnotation()) {
                args[i] = ComponentConfig.of(types[i].asSubclass(Annotation.class), properties);
            } else if (types[i] == Map.class) {
                args[i] = Map.copyOf(properties);
            } else {
                throw new IllegalArgumentException("the " + what + " method " + method + " takes a "
                        + types[i].getName() + ", which a test cannot give: take a component property type or the"
                        + " properties Map");
            }
        }
        try {
            method.setAccessible(true);
            method.invoke(instance, args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the " + what + " method of " + instance.getClass().getName()
                    + " threw " + e.getCause() + " for the configuration " + properties, e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot call " + method + ": " + e, e);
        }
    }

    private static Method lifecycleMethod(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no method '" + name + "', which its component"
                + " descriptor names; rebuild so the descriptor matches the class");
    }
}
