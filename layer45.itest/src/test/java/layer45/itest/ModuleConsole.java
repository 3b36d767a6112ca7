package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's module commands ({@code l45:insmod}, {@code lsmod}, {@code modinfo}, {@code rmmod}, ...) typed into
 * a runtime's console, with what they print read back as the tables an operator reads.
 */
final class ModuleConsole {

    private final RuntimeConsole runtime;

    /** @param runtime the running runtime */
    ModuleConsole(RuntimeConsole runtime) {
        this.runtime = runtime;
    }

    /** Types a command. @return what it printed */
    String run(String command) throws IOException, InterruptedException {
        return runtime.run(command);
    }

    /**
     * Loads an example customization jar with {@code l45:insmod}.
     *
     * @param bundle the jar's name in the bundle directory, such as {@code dns-tag}
     * @param parameters {@code key=value} or {@code MODULE:key=value}
     * @return what insmod printed: a line per module
     * @throws AssertionError if a module did not load
     */
    String insmod(String bundle, String... parameters) throws IOException, InterruptedException {
        return insmod(OsgiFixture.bundleDirectory().resolve(bundle + ".jar"), parameters);
    }

    /** Loads a jar with {@code l45:insmod}, like {@link #insmod(String, String...)}. */
    String insmod(Path jar, String... parameters) throws IOException, InterruptedException {
        StringBuilder command = new StringBuilder("l45:insmod " + jar);
        for (String parameter : parameters) {
            command.append(" '").append(parameter).append('\'');
        }
        String output = runtime.run(command.toString());
        assertTrue(!output.isBlank() && output.lines().allMatch(line -> line.matches("\\S+ (LIVE|DEPRECATED) .*")),
                command + " loads every module of the jar:\n" + output);
        return output;
    }

    /** @return the module's row of {@code l45:lsmod} */
    Map<String, String> lsmod(String module) throws IOException, InterruptedException {
        return lsmod().row("Module", module);
    }

    /** @return {@code l45:lsmod} */
    GogoSession.Table lsmod() throws IOException, InterruptedException {
        return GogoSession.Table.parse(runtime.run("l45:lsmod"), "Size", "Used", "Priority");
    }

    /** @return the {@code key: value} fields of {@code l45:modinfo} */
    Map<String, String> modinfoFields(String module) throws IOException, InterruptedException {
        return GogoSession.modinfoFields(runtime.run("l45:modinfo " + module));
    }

    /**
     * @param module a module
     * @param counter a counter as modinfo names it, such as {@code dropped}
     * @param direction {@code Send} or {@code Recv}
     * @return its value
     */
    long counter(String module, String counter, String direction) throws IOException, InterruptedException {
        GogoSession.Table counters = GogoSession.modinfoTable(runtime.run("l45:modinfo " + module), "counters:",
                "Send", "Recv");
        return Long.parseLong(counters.row("Counter", counter).get(direction));
    }

    /** Unloads every module, from the flows using them too ({@code rmmod -f}), so the next test starts clean. */
    void unloadAll() throws IOException, InterruptedException {
        String lsmod = runtime.run("l45:lsmod");
        if (lsmod.contains("(none)")) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (Map<String, String> row : GogoSession.Table.parse(lsmod, "Size", "Used", "Priority").rows()) {
            if (!row.get("State").equals("REFUSED") && !names.contains(row.get("Module"))) {
                names.add(row.get("Module"));
            }
        }
        if (!names.isEmpty()) {
            runtime.run("l45:rmmod -f " + String.join(" ", names));
        }
    }
}
