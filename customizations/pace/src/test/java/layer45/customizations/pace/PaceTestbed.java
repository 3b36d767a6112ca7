package layer45.customizations.pace;

import java.util.Map;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;
import layer45.testing.ComponentConfig;

/** A standalone runtime, a fake clock, and pace modules on their default target: python3's web server on 8080. */
final class PaceTestbed implements AutoCloseable {

    final Layer45Runtime runtime = Layer45Runtime.standalone();
    final InMemoryFlowDriver driver = new InMemoryFlowDriver(runtime);
    final FakeClock clock = new FakeClock();

    /** Loads a pace module as DS would: configured, bound to the runtime, on TCP local port 8080. */
    Pace load(String name, Pace.Config config, int priority) {
        Pace pace = new Pace(clock);
        pace.setRuntime(runtime);
        pace.configure(config);
        load(name, pace, priority);
        return pace;
    }

    void load(String name, Customization module, int priority) {
        try {
            runtime.load(name, module, Map.of(CustomizationService.PROTOCOL, new String[] { "tcp" },
                    CustomizationService.LOCAL_PORT, new String[] { "8080" }, CustomizationService.PRIORITY, priority),
                    ModuleOrigin.NONE);
        } catch (ModuleRefusedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** @param millis the runtime's new call budget */
    void callBudget(long millis) {
        runtime.updateSettings(RuntimeSettings.from(Map.of(RuntimeSettings.CALL_BUDGET_MS, millis)));
    }

    /** @return a connection a client opened to the web server, as the server's host sees it */
    DriverFlow webServer() {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "python3", "127.0.0.1:8080", "127.0.0.1:50000"));
    }

    static Pace.Config delay(long millis) {
        return config(millis, 0, 65536, false);
    }

    static Pace.Config rate(long bytesPerSecond, long burst) {
        return config(0, bytesPerSecond, burst, false);
    }

    static Pace.Config config(long delayMillis, long rate, long burst, boolean passToNext) {
        return ComponentConfig.of(Pace.Config.class, "delay.ms", delayMillis, "rate.bytes.per.s", rate, "burst.bytes",
                burst, "pass.to.next", passToNext);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
