package layer45.orchestrator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs Debian installs ({@code /usr/lib/postgresql/VERSION/bin}; the newest version if
 * there are several), and the user they run as: PostgreSQL refuses to run as root, so under root (as CI runs) they
 * run as the user {@code postgres} the package creates, or {@code nobody}, through {@code setpriv}, which execs the
 * program (the PID a test starts is the server's own, and killing it kills the server).
 *
 * @param bin the folder of {@code initdb}, {@code postgres} and {@code pg_ctl}
 * @param owner the user the server runs as and its files belong to, or {@code null} to run as this process's user
 * @param asOwner the command prefix that runs a program as {@code owner}, empty when {@code owner} is null
 */
record PostgresInstallation(Path bin, String owner, List<String> asOwner) {

    /** Where Debian's server packages (postgresql-NN) put each version. */
    static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    /** What to do about a missing server. */
    static final String INSTALL = "run scripts/deps.sh as root (./layer45 test does; it installs the Debian package"
            + " postgresql without starting a system server)";

    private static final List<String> PROGRAMS = List.of("initdb", "postgres", "pg_ctl");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path PASSWD = Path.of("/etc/passwd");

    /**
     * @return the newest installed version's programs and the user to run them as
     * @throws IllegalStateException if there is none, or no way to leave root; the message says what to do
     */
    static PostgresInstallation find() {
        return find(VERSIONS);
    }

    /** {@link #find()} in another folder of versions. */
    static PostgresInstallation find(Path versions) {
        Path bin = newestBin(versions).orElseThrow(() -> new IllegalStateException("no PostgreSQL server is installed"
                + " (no " + versions + "/*/bin with " + String.join(", ", PROGRAMS) + "): " + INSTALL));
        if (!root()) {
            return new PostgresInstallation(bin, null, List.of());
        }
        if (!Files.isExecutable(SETPRIV)) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and " + SETPRIV + " (util-linux) is"
                    + " missing to run it as another user: apt-get install util-linux");
        }
        for (String user : List.of("postgres", "nobody")) {
            Optional<String[]> entry = passwdEntry(user);
            if (entry.isPresent()) {
                return new PostgresInstallation(bin, user, List.of(SETPRIV.toString(), "--reuid=" + entry.get()[2],
                        "--regid=" + entry.get()[3], "--clear-groups", "--"));
            }
        }
        throw new IllegalStateException("PostgreSQL refuses to run as root, and neither the user postgres nor nobody"
                + " exists to run it as: " + INSTALL);
    }

    /** @return the command line that runs one of the programs as the owner */
    List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>(asOwner);
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private static Optional<Path> newestBin(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(folder)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .map(v -> v.resolve("bin"))
                    .filter(bin -> PROGRAMS.stream().allMatch(p -> Files.isExecutable(bin.resolve(p))))
                    .max(Comparator.comparing(bin -> Runtime.Version.parse(bin.getParent().getFileName().toString())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** @return the user's /etc/passwd fields (name, password, uid, gid, ...) */
    private static Optional<String[]> passwdEntry(String user) {
        try (Stream<String> lines = Files.lines(PASSWD)) {
            return lines.map(line -> line.split(":")).filter(f -> f.length > 3 && f[0].equals(user)).findFirst();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PASSWD + " to find a user to run PostgreSQL as: "
                    + e.getMessage(), e);
        }
    }
}
