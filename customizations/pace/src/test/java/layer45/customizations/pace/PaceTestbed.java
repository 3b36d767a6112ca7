package layer45.customizations.pace;

import java.util.LinkedHashMap;
import java.util.Map;

import layer45.api.CustomizationService;
import layer45.testing.ComponentConfig;
import layer45.testing.ComponentDescriptor;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;

/**
 * Pace modules on a fake clock, in the runtime of a {@link ModuleTester}, on their default target: python3's web
 * server on port 8080. The clock is the module's own ({@link PaceClock}), given to its constructor; the runtime is
 * bound to each module as Declarative Services binds its optional {@code CustomizationRuntime} reference.
 */
final class PaceTestbed {

    /** A connection a client opened to the web server, as the server's host sees it. */
    static final FlowSpec WEB = FlowSpec.tcp().local("127.0.0.1", 8080).remote("127.0.0.1", 50000).openedByPeer()
            .process("python3");

    final FakeClock clock = new FakeClock();

    /** @return a new pace module on the fake clock, configured as DS would before loading it */
    Pace pace(Pace.Config config) {
        Pace pace = new Pace(clock);
        pace.configure(config);
        return pace;
    }

    /**
     * @param priority a chain position
     * @return the pace component's service properties, as its descriptor declares them, at that position
     */
    static Map<String, Object> at(int priority) {
        Map<String, Object> properties = new LinkedHashMap<>(ComponentDescriptor.of(Pace.class).properties());
        properties.put(CustomizationService.PRIORITY, priority);
        return properties;
    }

    /**
     * Starts the tester's runtime and binds it to the pace modules, as DS does once the runtime service is there.
     *
     * @param tester the tester, its modules added and its settings given
     * @param paces its pace modules
     * @return the tester
     */
    static ModuleTester bound(ModuleTester tester, Pace... paces) {
        for (Pace pace : paces) {
            pace.setRuntime(tester.operator());
        }
        return tester;
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
}
