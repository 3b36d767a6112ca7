package layer45.orchestrator.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for a test: a fresh cluster in a temporary folder ({@code initdb}; the superuser
 * {@value #USER}, trusted without a password on the Unix socket and on loopback only), {@code postgres} listening on
 * 127.0.0.1 alone, on a free port, with its Unix socket inside the folder, and the database {@value #DATABASE}.
 * {@link #close()} stops it (a fast shutdown, then a kill of the PID this started) and deletes the folder.
 *
 * <p>Never the system's server: it needs only the programs of the Debian package postgresql
 * ({@code scripts/deps.sh} installs it), and fails, saying so, where they are missing.
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser; every connection from this host is trusted, so it has no password. */
    public static final String USER = "layer45";
    /** The database created at start. */
    public static final String DATABASE = "layer45";

    /** How long initdb, CREATE DATABASE and pg_ctl may take; and the server to accept connections. */
    private static final long SECONDS = 60;
    /** How long a fast shutdown may take (pg_ctl waits for it), and a killed server's PID to end. */
    private static final long STOP_SECONDS = 20;

    private final PostgresInstallation installation;
    private final Path folder;
    private final int port;
    private Process process;

    private PostgresServer(PostgresInstallation installation, Path folder, int port) {
        this.installation = installation;
        this.folder = folder;
        this.port = port;
    }

    /**
     * Creates a cluster and starts a server on it.
     *
     * @return the server, accepting connections
     * @throws IllegalStateException if PostgreSQL is not installed (the message says to run scripts/deps.sh)
     * @throws IOException if it does not start; the message has its log
     */
    public static PostgresServer start() throws IOException, InterruptedException {
        PostgresInstallation installation = PostgresInstallation.find();
        int port = freePort();
        PostgresServer server = new PostgresServer(installation, Files.createTempDirectory("layer45-postgres-"), port);
        try {
            server.initdb();
            server.run();
            server.createDatabase(DATABASE);
            return server;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** @return the port it listens on, on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the JDBC URL of the database {@value #DATABASE} */
    public String url() {
        return url(DATABASE);
    }

    /** @return the JDBC URL of a database on this server */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** @return a new connection to the database {@value #DATABASE}, as {@value #USER} */
    public Connection connect() throws SQLException {
        return connect(DATABASE);
    }

    /**
     * Creates an empty database.
     *
     * @param name its name: lower-case letters, digits and '_'
     * @return its JDBC URL
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("a test database's name is lower-case letters, digits and '_', not '"
                    + name + "'");
        }
        try (Connection db = connect("postgres"); Statement statement = db.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + " on " + url("postgres") + ": "
                    + e.getMessage() + "\n" + log(), e);
        }
        return url(name);
    }

    /** @return the server's log so far */
    public String log() {
        return read(folder.resolve("postgres.log"));
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url(database), properties);
    }

    private void initdb() throws IOException, InterruptedException {
        if (installation.owner() != null) {
            own(folder);
        }
        Path log = folder.resolve("initdb.log");
        Process initdb = builder(installation.command("initdb", "--pgdata=" + folder.resolve("data"),
                "--username=" + USER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"))
                .redirectOutput(log.toFile()).start();
        if (!initdb.waitFor(SECONDS, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
            initdb.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            throw new IOException("initdb did not create a cluster in " + folder + " within " + SECONDS + " s: "
                    + read(log));
        }
    }

    private void run() throws IOException, InterruptedException {
        Path sockets = Files.createDirectory(folder.resolve("socket"));
        if (installation.owner() != null) {
            own(sockets);
        }
        // No durability: the cluster lives as long as the test.
        process = builder(installation.command("postgres", "-D", folder.resolve("data").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-k", sockets.toString(), "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off"))
                .redirectOutput(folder.resolve("postgres.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        for (int attempt = 0; ; attempt++) {
            if (!process.isAlive()) {
                throw new IOException("postgres ended (status " + process.exitValue() + ") before accepting"
                        + " connections on 127.0.0.1:" + port + ":\n" + log());
            }
            try (Connection probe = connect("postgres")) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() - deadline > 0 || attempt > SECONDS * 20) {
                    throw new IOException("postgres accepted no connection on 127.0.0.1:" + port + " within "
                            + SECONDS + " s (" + e.getMessage() + "):\n" + log(), e);
                }
            }
            Thread.sleep(50);
        }
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG")); // PGDATA, PGPORT... are not ours
        return builder;
    }

    private void own(Path path) throws IOException {
        Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(installation.owner()));
    }

    /** Stops the server (a fast shutdown, then a kill of its PID) and deletes its folder, whatever happens. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(folder);
        }
    }

    private void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process pgctl = builder(installation.command("pg_ctl", "stop", "-D", folder.resolve("data").toString(),
                    "-m", "fast", "-w", "-t", Long.toString(STOP_SECONDS))).redirectOutput(
                    folder.resolve("pg_ctl.log").toFile()).start();
            if (!pgctl.waitFor(STOP_SECONDS + 5, TimeUnit.SECONDS)) {
                pgctl.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("layer45 test: cannot run pg_ctl: " + e.getMessage());
        }
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
            System.err.println("layer45 test: the PostgreSQL server " + process.pid() + " did not stop on a fast"
                    + " shutdown; killing it:\n" + read(folder.resolve("pg_ctl.log")));
            process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
            return probe.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void delete(Path root) {
        List<IOException> failures = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    failures.add(e);
                }
            });
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            System.err.println("layer45 test: could not delete all of " + root + ": " + failures.getFirst());
        }
    }
}
