package layer45.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import layer45.api.CustomizationService;
import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.Layer45Exception;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.module.ModuleOrigin;

import org.junit.jupiter.api.Test;

/** Operator parameters: stored, applied live, and never overwritten by a late notification of an older value. */
class ParametersTest {

    /** A store whose reads can be made slow, like a configuration store under load. */
    static final class SlowStore implements ParameterStore {
        private final ParameterStore inner = ParameterStore.inMemory();
        volatile CountDownLatch readStarted;
        volatile long readDelayMillis;

        @Override
        public Map<String, Object> load(String module) {
            Map<String, Object> value = inner.load(module);
            CountDownLatch started = readStarted;
            if (started != null) {
                started.countDown();
                try {
                    Thread.sleep(readDelayMillis); // the read is done; applying it comes late
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return value;
        }

        @Override
        public void store(String module, Map<String, Object> parameters) throws IOException {
            inner.store(module, parameters);
        }
    }

    @Test
    void aLateNotificationCannotPutBackAValueTheOperatorReplaced() throws Exception {
        SlowStore store = new SlowStore();
        try (Layer45Runtime runtime = new Layer45Runtime(RuntimeSettings.DEFAULTS, store, ModuleHost.NONE)) {
            runtime.load("m", ScriptedModule.tagging("T"), Map.of(), ModuleOrigin.NONE);
            store.readStarted = new CountDownLatch(1);
            store.readDelayMillis = 200;
            // A notification (say, of an earlier edit) is being handled: it has read the store...
            Thread notification = Thread.ofPlatform().start(() -> runtime.parametersChanged("m"));
            assertTrue(store.readStarted.await(10, TimeUnit.SECONDS));
            store.readStarted = null;
            // ...when the operator sets a priority. The operator's value must be the one that stays.
            runtime.setPriority("m", 10);
            notification.join(10_000);
            assertEquals(10, runtime.module("m").priority);
        }
    }

    @Test
    void parametersAreStoredAndAppliedOrRefusedWhole() {
        try (RuntimeFixture fixture = new RuntimeFixture()) {
            fixture.load("m", ScriptedModule.tagging("T"));
            fixture.runtime.setParameters("m", Map.of(CustomizationService.PRIORITY, "7",
                    CustomizationService.REMOTE_PORT, "53,853"));
            assertEquals(7, fixture.runtime.module("m").priority);
            assertEquals(java.util.List.of("53", "853"),
                    java.util.List.of(fixture.runtime.module("m").target.remotePort));
            Layer45Exception bad = assertThrows(Layer45Exception.class, () -> fixture.runtime.setParameters("m",
                    Map.of(CustomizationService.PRIORITY, "8", CustomizationService.REMOTE_PORT, "70000")));
            assertEquals(ErrorCode.INVALID_PARAMETER, bad.code());
            assertTrue(bad.getMessage().contains("70000"), bad.getMessage());
            assertEquals(7, fixture.runtime.module("m").priority, "nothing changed");
        }
    }

    @Test
    void whetherAModuleIsDeprecatedIsKeptButIsNotAParameter() {
        try (RuntimeFixture fixture = new RuntimeFixture()) {
            fixture.load("m", ScriptedModule.tagging("T"));
            Layer45Exception e = assertThrows(Layer45Exception.class,
                    () -> fixture.runtime.setParameters("m", Map.of("layer45.deprecated", false)));
            assertEquals(ErrorCode.INVALID_PARAMETER, e.code());
            assertTrue(e.getMessage().contains("not a parameter of the runtime"), e.getMessage());
        }
    }

    @Test
    void removingAParameterGoesBackToTheModulesOwnValue() {
        try (RuntimeFixture fixture = new RuntimeFixture()) {
            fixture.load("m", ScriptedModule.tagging("T"), "priority", 42);
            fixture.runtime.setPriority("m", 5);
            java.util.HashMap<String, Object> remove = new java.util.HashMap<>();
            remove.put(CustomizationService.PRIORITY, null);
            fixture.runtime.setParameters("m", remove);
            assertEquals(42, fixture.runtime.module("m").priority);
        }
    }
}
