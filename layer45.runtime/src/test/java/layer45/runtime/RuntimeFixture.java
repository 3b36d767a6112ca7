package layer45.runtime;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.HashMap;
import java.util.Map;

import layer45.api.CustomizationService;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

/** A standalone runtime, an in-memory driver, and shortcuts for the unit tests. */
final class RuntimeFixture implements AutoCloseable {

    static final String APP = "10.0.0.1:40000";
    static final String PEER = "10.0.0.2:53";

    final Layer45Runtime runtime;
    final InMemoryFlowDriver driver;

    RuntimeFixture() {
        this(RuntimeSettings.DEFAULTS);
    }

    RuntimeFixture(RuntimeSettings settings) {
        runtime = new Layer45Runtime(settings, ParameterStore.inMemory(), ModuleHost.NONE);
        driver = new InMemoryFlowDriver(runtime);
    }

    /**
     * Loads a module with properties given as alternating keys (without the {@code layer45.} prefix) and values.
     */
    Module load(String name, ScriptedModule module, Object... properties) {
        try {
            return runtime.load(name, module, props(properties), ModuleOrigin.NONE);
        } catch (ModuleRefusedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Map<String, Object> props(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(CustomizationService.PREFIX_ + keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    DriverFlow tcp() {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "dig", APP, PEER));
    }

    DriverFlow udp() {
        return driver.open(InMemoryFlowDriver.flow(Transport.UDP, "dig", APP, PEER));
    }

    DriverFlow owned(Transport transport, String process, String thread) {
        FlowInfo info = new FlowInfo(transport, NetworkProtocol.IPV4, InMemoryFlowDriver.endpoint(APP),
                InMemoryFlowDriver.endpoint(PEER), Initiator.LOCAL, new ProcessOwner(77, 70, thread, process, 0));
        return driver.open(info);
    }

    static byte[] bytes(String text) {
        return text.getBytes(US_ASCII);
    }

    static String text(byte[] bytes) {
        return new String(bytes, US_ASCII);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
