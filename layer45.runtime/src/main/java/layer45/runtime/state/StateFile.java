package layer45.runtime.state;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import layer45.api.CustomizationService;
import layer45.runtime.OperatorState;

/**
 * {@link OperatorState} in a properties file, rewritten whole and atomically (a temporary file beside it, synced,
 * then renamed over it) at every change, so a crash leaves the old state or the new one, never half of either.
 *
 * <p>One line per setting, keyed by the module's name and the setting, separated by a space (which module names
 * never hold): {@code dns-tag\ bundle=dns-tag} (the bundle it came from), {@code dns-tag\ layer45.priority=3} (a
 * runtime parameter), {@code dns-tag\ own.start.tag=[[} (one of the module's own). Values are kept as text; the
 * runtime and Declarative Services read numbers and flags from text.
 */
public final class StateFile implements OperatorState {

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    private static final String BUNDLE = "bundle";
    private static final String OWN_PREFIX = "own.";
    private static final String HEADER = " layer45 module state: what operators set with activate, deactivate,"
            + " deprecate, priority and param.\n Written by the runtime at every change and applied when a module of"
            + " that name loads again; rmmod forgets a module.\n Stop the runtime before editing it.";

    private final Path file;
    private final Map<String, Saved> modules = new TreeMap<>();

    private StateFile(Path file) {
        this.file = file;
    }

    /**
     * Reads the state file, or starts empty when there is none yet. A file that cannot be read is reported and
     * left alone: the runtime starts without its state and writes a new file at the next change.
     *
     * @param file the file
     * @return the state
     */
    public static StateFile open(Path file) {
        StateFile state = new StateFile(file);
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return state;
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.ERROR, "layer45: cannot read the module state {0} ({1}); starting without it, so modules"
                    + " load with their defaults; it is replaced at the next change", file, e.getMessage());
            return state;
        }
        for (String key : properties.stringPropertyNames()) {
            int space = key.indexOf(' ');
            if (space > 0) {
                state.put(key.substring(0, space), key.substring(space + 1), properties.getProperty(key));
            }
        }
        return state;
    }

    private void put(String module, String setting, String value) {
        Saved saved = modules.getOrDefault(module, new Saved("", Map.of(), Map.of()));
        String bundle = saved.bundle();
        Map<String, Object> runtime = new LinkedHashMap<>(saved.runtimeParameters());
        Map<String, Object> own = new LinkedHashMap<>(saved.ownParameters());
        if (setting.equals(BUNDLE)) {
            bundle = value;
        } else if (setting.startsWith(CustomizationService.PREFIX_)) {
            runtime.put(setting, value);
        } else if (setting.startsWith(OWN_PREFIX)) {
            own.put(setting.substring(OWN_PREFIX.length()), value);
        }
        modules.put(module, new Saved(bundle, Map.copyOf(runtime), Map.copyOf(own)));
    }

    @Override
    public synchronized Optional<Saved> saved(String module) {
        return Optional.ofNullable(modules.get(module));
    }

    @Override
    public synchronized void runtimeParameters(String module, String bundle, Map<String, Object> parameters) {
        Saved saved = modules.get(module);
        Map<String, Object> own = saved == null ? Map.of() : saved.ownParameters();
        change(module, new Saved(bundle, text(parameters), own));
    }

    @Override
    public synchronized void ownParameters(String module, String bundle, Map<String, Object> changes) {
        Saved saved = modules.get(module);
        Map<String, Object> own = new LinkedHashMap<>(saved == null ? Map.of() : saved.ownParameters());
        changes.forEach((key, value) -> {
            if (value == null) {
                own.remove(key);
            } else {
                own.put(key, String.valueOf(value));
            }
        });
        change(module, new Saved(bundle, saved == null ? Map.of() : saved.runtimeParameters(), Map.copyOf(own)));
    }

    @Override
    public synchronized void forget(String module) {
        if (modules.remove(module) != null) {
            write();
        }
    }

    @Override
    public String where() {
        return file.toString();
    }

    private void change(String module, Saved next) {
        if (next.equals(modules.get(module))) {
            return; // a module loaded again with what it had: nothing to write
        }
        if (next.runtimeParameters().isEmpty() && next.ownParameters().isEmpty()) {
            modules.remove(module);
        } else {
            modules.put(module, next);
        }
        write();
    }

    private static Map<String, Object> text(Map<String, Object> parameters) {
        Map<String, Object> text = new LinkedHashMap<>();
        parameters.forEach((key, value) -> text.put(key, String.valueOf(value)));
        return Map.copyOf(text);
    }

    /** Writes every module's state, atomically; a failure is logged (the change holds until the runtime stops). */
    private void write() {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temporary, render(), StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "layer45: cannot save the module state to {0} ({1}); the change holds until the"
                    + " runtime stops, but is lost at the next start: check that the folder is writable by the"
                    + " runtime's user", file, e.getMessage());
        }
    }

    private String render() throws IOException {
        Properties properties = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized java.util.Set<Map.Entry<Object, Object>> entrySet() {
                // Sorted, so the file reads module by module and changes show up as small diffs.
                TreeMap<Object, Object> sorted = new TreeMap<>();
                for (Map.Entry<Object, Object> entry : super.entrySet()) {
                    sorted.put(entry.getKey(), entry.getValue());
                }
                return sorted.entrySet();
            }
        };
        modules.forEach((module, saved) -> {
            if (!saved.bundle().isEmpty()) {
                properties.setProperty(module + " " + BUNDLE, saved.bundle());
            }
            saved.runtimeParameters().forEach((key, value) -> properties.setProperty(module + " " + key,
                    String.valueOf(value)));
            saved.ownParameters().forEach((key, value) -> properties.setProperty(module + " " + OWN_PREFIX + key,
                    String.valueOf(value)));
        });
        Writer out = new StringWriter();
        properties.store(out, HEADER);
        return out.toString();
    }
}
