package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A module author's machine, for the tests that make and build module projects ({@link NewModuleIT},
 * {@link GuideIT}): a home folder of its own whose Maven repository holds this checkout's freshly built
 * {@code layer45.api}, {@code layer45.runtime} and {@code layer45.testing} (what {@code ./layer45 build} installs),
 * and links to every other folder of the shared repository, read only, offline. Nothing is ever installed into the
 * shared repository, where other builds would pick it up.
 *
 * <p>Commands run in bash with {@code HOME} set to that folder (so {@code ~} is it), JDK 25 first on the path, and
 * Maven told to use that home ({@code MAVEN_OPTS=-Duser.home=...}, whose {@code .m2/settings.xml} says offline).
 */
final class ModuleWorkspace implements AutoCloseable {

    /** The layer45 artifacts a module project needs, by artifact id, with the folder of the checkout they come from. */
    private static final List<String[]> ARTIFACTS = List.of(new String[] { "layer45.reactor", "" },
            new String[] { "layer45.api", "layer45.api" }, new String[] { "layer45.runtime", "layer45.runtime" },
            new String[] { "layer45.testing", "layer45.testing" });

    private final Path home;
    private final Path checkout;

    private ModuleWorkspace(Path home, Path checkout) {
        this.home = home;
        this.checkout = checkout;
    }

    /** Makes the home folder and its repository. */
    static ModuleWorkspace create() throws IOException {
        Path checkout = Path.of(property("layer45.it.checkout")).toAbsolutePath().normalize();
        String version = property("layer45.it.version");
        Path shared = Path.of(property("layer45.it.m2"));
        Path home = Files.createTempDirectory("layer45-author");
        ModuleWorkspace workspace = new ModuleWorkspace(home, checkout);
        try {
            Path repository = Files.createDirectories(home.resolve(".m2/repository"));
            try (Stream<Path> folders = Files.list(shared)) {
                for (Path folder : folders.toList()) {
                    if (!folder.getFileName().toString().equals("layer45")) {
                        Files.createSymbolicLink(repository.resolve(folder.getFileName()), folder);
                    }
                }
            }
            for (String[] artifact : ARTIFACTS) {
                Path module = checkout.resolve(artifact[1]);
                Path target = Files.createDirectories(repository.resolve("layer45").resolve(artifact[0])
                        .resolve(version));
                String base = artifact[0] + "-" + version;
                Files.copy(module.resolve("pom.xml"), target.resolve(base + ".pom"));
                if (!artifact[1].isEmpty()) {
                    Path jar = module.resolve("target").resolve(base + ".jar");
                    assertTrue(Files.isRegularFile(jar), jar + " is built: run mvn package (or verify) first");
                    Files.copy(jar, target.resolve(base + ".jar"));
                }
            }
            Files.writeString(home.resolve(".m2/settings.xml"), "<settings><offline>true</offline></settings>\n");
        } catch (IOException | RuntimeException | Error e) {
            workspace.close();
            throw e;
        }
        return workspace;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests with 'mvn"
                    + " verify' (failsafe sets it)");
        }
        return value;
    }

    /** @return the home folder ({@code ~} of the commands) */
    Path home() {
        return home;
    }

    /** @return the layer45 checkout */
    Path checkout() {
        return checkout;
    }

    /**
     * @param namespace a network namespace to run in, or {@code null} for the host's; unlike {@code ip netns exec},
     *        the command keeps the host's mounts, so it sees the namespaces a runtime mounts later
     * @param directory the working directory
     * @param command a bash command line
     * @return the command that runs it as the author's shell would
     */
    List<String> shell(String namespace, Path directory, String command) {
        List<String> all = new ArrayList<>();
        if (namespace != null) {
            all.add("nsenter");
            all.add("--net=/run/netns/" + namespace); // the network namespace only: namespaces mounted later show
        }
        String java = Path.of(System.getProperty("java.home")).toString();
        all.addAll(List.of("env", "HOME=" + home, "JAVA_HOME=" + java,
                "PATH=" + java + "/bin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "MAVEN_OPTS=-Duser.home=" + home, "bash", "-c", "cd \"$0\" && " + command, directory.toString()));
        return all;
    }

    /**
     * Runs a command to its end.
     *
     * @return its status and outputs
     */
    ProcessResult run(String namespace, Path directory, String command, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = new ProcessBuilder(shell(namespace, directory, command)).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("'" + command + "' did not end within " + timeoutSeconds + " s; it printed:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new ProcessResult(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Deletes the home folder; links are deleted, never followed. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
