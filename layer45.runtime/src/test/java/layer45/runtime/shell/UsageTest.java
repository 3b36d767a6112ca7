package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** Commands on modules take one name or several; none says how to use them, instead of Gogo's coercion error. */
class UsageTest {

    private final Fakes.Runtime runtime = new Fakes.Runtime();
    private final ModuleCommands commands = new ModuleCommands(runtime, new Fakes.Deployments(), BundleFacts.NONE,
            ModuleOptions.NONE);

    @Test
    void withoutANameACommandSaysHowToUseIt() {
        List<Supplier<String>> bare = List.of(commands::modinfo, () -> commands.rmmod(false), commands::activate,
                commands::deactivate, commands::deprecate);
        for (Supplier<String> command : bare) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, command::get);
            assertTrue(e.getMessage().startsWith("usage: "), e.getMessage());
        }
        assertEquals("usage: rmmod [-f] NAME..., such as: rmmod echo-tag-client ('help rmmod' describes it)",
                assertThrows(IllegalArgumentException.class, () -> commands.rmmod(false)).getMessage());
    }

    @Test
    void severalNamesAreHandledInOrder() {
        runtime.modules.add(Fakes.echoTagClient());
        runtime.modules.add(Fakes.echoTagServer());
        String out = commands.deactivate("echo-tag-client", "echo-tag-server");
        assertEquals(2, out.lines().count(), out);
        assertTrue(out.lines().allMatch(line -> line.contains("inactive")), out);
        assertEquals(List.of("setActive echo-tag-client false", "setActive echo-tag-server false"), runtime.calls);
    }
}
