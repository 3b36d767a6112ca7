package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import org.apache.felix.service.command.Descriptor;

/** What Gogo's {@code help} can say about a class of commands. */
final class Help {

    private Help() {
    }

    /**
     * Checks that every command (public method) of a class, and each of its parameters, is described for
     * {@code help}, and returns the text to show.
     *
     * @param commands the class of commands
     * @return the names of its commands, sorted
     */
    static Set<String> describedCommands(Class<?> commands) {
        Set<String> names = new TreeSet<>();
        for (Method m : commands.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            names.add(m.getName());
            assertNotNull(m.getAnnotation(Descriptor.class), m + " has no @Descriptor");
            for (java.lang.reflect.Parameter p : m.getParameters()) {
                assertNotNull(p.getAnnotation(Descriptor.class), m + ": " + p + " has no @Descriptor");
            }
            assertSame(String.class, m.getReturnType(), m + " must return the text to show");
        }
        assertNotNull(commands.getAnnotation(Descriptor.class), commands + " has no @Descriptor");
        return names;
    }
}
