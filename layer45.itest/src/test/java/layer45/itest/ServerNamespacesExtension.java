package layer45.itest;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link ServerNamespaces} for a whole test class, registered with {@code @RegisterExtension} on a static field: the
 * runtime and the servers start once before the class (or the class is skipped where they cannot run), every module
 * is unloaded after each test so the next starts clean, and at the end everything stops, checked, and goes.
 */
final class ServerNamespacesExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final String name;
    private final Path transcript;
    private final boolean quietLog;
    private final String[] properties;
    private ServerNamespaces servers;
    private ModuleConsole modules;

    /**
     * @param name what the session is, for the transcript and the namespaces' names
     * @param transcript where the runtime's transcript is kept, replaced at each run
     * @param quietLog whether the runtime must stop with a log free of errors and stack traces (not so where modules
     *        fail on purpose)
     * @param properties runtime settings, {@code layer45.KEY=VALUE}
     */
    ServerNamespacesExtension(String name, Path transcript, boolean quietLog, String... properties) {
        this.name = name;
        this.transcript = transcript;
        this.quietLog = quietLog;
        this.properties = properties.clone();
    }

    /** @return the runtime and its servers, once the class has started */
    ServerNamespaces servers() {
        return servers;
    }

    /** @return the module commands of the runtime */
    ModuleConsole modules() {
        return modules;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ServerNamespaces.assumePossible();
        Files.deleteIfExists(transcript);
        servers = ServerNamespaces.start(name, transcript, properties);
        modules = new ModuleConsole(servers.runtime());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (modules != null) {
            modules.unloadAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (servers != null) {
            try {
                servers.stopCleanly();
                if (quietLog) {
                    servers.runtime().assertStoppedCleanly();
                }
            } finally {
                servers.close();
                servers = null;
                modules = null;
            }
        }
    }
}
