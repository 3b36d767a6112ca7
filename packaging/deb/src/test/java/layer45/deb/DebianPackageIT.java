package layer45.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package (issue 9): its contents as dpkg-deb shows them; installed into a scratch root (dpkg -x and the
 * maintainer scripts with DPKG_ROOT), and, as root, for real with dpkg -i: the daemon started from the installed
 * layout as layer45.service starts it, driven with layer45 lsmod and layer45 shell, restarted with its module state
 * and host-identifier edits kept, refused to a non-root user, stopped gracefully, upgraded, removed (configuration
 * and state kept) and purged (all gone). Everything it makes has a deb9 name and is removed even when a test fails.
 */
class DebianPackageIT {

    private static final Path DEB = Path.of(System.getProperty("layer45.deb", "target/layer45_all.deb"));
    private static final String PACKAGE = System.getProperty("layer45.deb.package", "layer45");
    private static final String ECHO_TAG = "echo-tag-0.1.0-SNAPSHOT.jar";
    private static final String UNIQUE = "deb9-" + ProcessHandle.current().pid();

    @TempDir
    Path work;

    @Test
    void thePackageHoldsTheRuntimeTheCommandTheUnitAndTheConffiles() {
        String info = Command.run("dpkg-deb", "-I", DEB.toString()).ok().out();
        assertTrue(info.contains("Package: " + PACKAGE), info);
        assertTrue(info.contains("Architecture: all"), info);
        assertTrue(info.contains("Depends: bash, iproute2"), info);
        String conffiles = Command.run("dpkg-deb", "-I", DEB.toString(), "conffiles").ok().out();
        assertEquals("/etc/layer45/layer45.conf\n/etc/layer45/mhosts\n", conffiles);
        for (String script : new String[] { "postinst", "prerm", "postrm" }) {
            assertTrue(info.matches("(?s).*\\d+ lines\\s+\\*\\s+" + script + "\\s.*"), script + " executable:\n" + info);
        }
        String contents = Command.run("dpkg-deb", "-c", DEB.toString()).ok().out();
        for (String entry : new String[] { "-rwxr-xr-x root/root .* ./usr/bin/layer45",
                "-rw-r--r-- root/root .* ./usr/share/layer45/layer45.jar",
                "-rw-r--r-- root/root .* ./usr/share/layer45/layer45.cli.jar",
                "-rw-r--r-- root/root .* ./usr/share/layer45/lib/jline-.*\\.jar",
                "-rw-r--r-- root/root .* ./usr/share/layer45/java.sh",
                "-rw-r--r-- root/root .* ./usr/share/layer45/customizations/" + ECHO_TAG.replace(".", "\\."),
                "-rw-r--r-- root/root .* ./lib/systemd/system/layer45.service",
                "-rw-r--r-- root/root .* ./etc/layer45/layer45.conf", "-rw-r--r-- root/root .* ./etc/layer45/mhosts",
                "drwxr-xr-x root/root .* ./usr/lib/layer45/customizations/" }) {
            assertTrue(contents.lines().anyMatch(line -> line.matches(entry)), entry + " in:\n" + contents);
        }
        String unit = Command.run("sh", "-c", "dpkg-deb --fsys-tarfile '" + DEB + "' | tar -xO"
                + " ./lib/systemd/system/layer45.service").ok().out();
        for (String line : new String[] { "ExecStart=/usr/bin/layer45 daemon", "Restart=on-failure",
                "KillMode=mixed", "RuntimeDirectoryMode=0700" }) {
            assertTrue(unit.contains(line + "\n"), line + " in:\n" + unit);
        }
        assertTrue(unit.matches("(?s).*CapabilityBoundingSet=.*CAP_NET_ADMIN.*CAP_SYS_ADMIN.*"), unit);
        assertTrue(unit.lines().filter(line -> !line.startsWith("#"))
                .noneMatch(line -> line.startsWith("PrivateTmp=") || line.startsWith("ProtectSystem=")),
                "no private mount namespace: ip netns exec must see the stack's namespaces\n" + unit);
    }

    @Test
    void aScratchRootInstallRunsTheDaemonAndKeepsOperatorDataUntilPurge() throws Exception {
        Path root = work.resolve("root");
        Command.run("dpkg-deb", "-x", DEB.toString(), root.toString()).ok();
        Path control = work.resolve("control");
        Command.run("dpkg-deb", "-e", DEB.toString(), control.toString()).ok();
        Map<String, String> scratch = Map.of("DPKG_ROOT", root.toString());
        Command.run(scratch, "", control.resolve("postinst").toString(), "configure").ok();
        assertTrue(Files.isDirectory(root.resolve("var/lib/layer45")), "postinst made the state folder");
        // The stack stays off here: this test needs no privileges, and touches no network.
        configure(root, "net.enabled = false");
        Files.copy(root.resolve("usr/share/layer45/customizations").resolve(ECHO_TAG),
                root.resolve("usr/lib/layer45/customizations").resolve(ECHO_TAG));

        driveRestartAndKeepState(root, work.resolve("s.sock"));

        Command.run(scratch, "", control.resolve("prerm").toString(), "remove").ok();
        deletePackageFiles(root);
        Command.run(scratch, "", control.resolve("postrm").toString(), "remove").ok();
        assertTrue(Files.exists(root.resolve("etc/layer45/layer45.conf")), "remove keeps the configuration");
        assertTrue(Files.exists(root.resolve("var/lib/layer45/modules.state")), "remove keeps the module state");
        assertTrue(Files.exists(root.resolve("usr/lib/layer45/customizations").resolve(ECHO_TAG)),
                "remove keeps the operator's jars");
        Command.run(scratch, "", control.resolve("postrm").toString(), "purge").ok();
        for (String gone : new String[] { "etc/layer45", "var/lib/layer45", "var/cache/layer45", "usr/lib/layer45" }) {
            assertFalse(Files.exists(root.resolve(gone)), "purge removes " + gone);
        }
    }

    @Test
    void installedWithDpkgTheDaemonDrainsAtStopAndSurvivesUpgradeRemoveKeepsDataPurgeRemovesAll() throws Exception {
        assumeTrue(isRoot(), "installing a package for real needs root (dpkg -i); the scratch-root test covers"
                + " the rest without it");
        assumeTrue(Command.run("dpkg", "-s", PACKAGE).status() != 0 && !Files.exists(Path.of("/etc/layer45")),
                "a " + PACKAGE + " package or /etc/layer45 is already on this machine: it is not this test's to"
                        + " replace or remove");
        Path root = Path.of("/");
        try {
            Command.run("dpkg", "-i", DEB.toString()).ok();
            assertEquals("install ok installed", Command.run("dpkg-query", "-W", "-f=${Status}", PACKAGE).ok().out());
            // An operator's edit of the conffile: the stack in a namespace and on a link of this test's own.
            configure(root, "net.netns = " + UNIQUE, "net.tun = d9t" + ProcessHandle.current().pid() % 100000,
                    "net.drain.s = 3");
            Files.copy(Path.of("/usr/share/layer45/customizations").resolve(ECHO_TAG),
                    Path.of("/usr/lib/layer45/customizations").resolve(ECHO_TAG));

            Path socket = work.resolve("r.sock");
            driveRestartAndKeepState(root, socket);
            stopDrainsAnOpenConnection(root, socket);

            Path next = upgraded();
            Command.run("dpkg", "-i", "--force-confold", next.toString()).ok();
            assertTrue(Command.run("dpkg-query", "-W", "-f=${Version}", PACKAGE).ok().out().endsWith("+deb9"));
            assertTrue(Files.readString(Path.of("/etc/layer45/layer45.conf")).contains("net.netns = " + UNIQUE),
                    "the upgrade keeps the operator's configuration");
            assertTrue(Files.readString(Path.of("/var/lib/layer45/modules.state")).contains("layer45.priority=7"),
                    "the upgrade keeps the module state");

            Command.run("dpkg", "-r", PACKAGE).ok();
            assertFalse(Files.exists(Path.of("/usr/bin/layer45")), "remove removes the program");
            assertTrue(Files.exists(Path.of("/etc/layer45/layer45.conf")), "remove keeps the configuration");
            assertTrue(Files.exists(Path.of("/var/lib/layer45/modules.state")), "remove keeps the module state");
            Command.run("dpkg", "-P", PACKAGE).ok();
            for (String gone : new String[] { "/etc/layer45", "/var/lib/layer45", "/var/cache/layer45",
                    "/usr/lib/layer45", "/usr/share/layer45", "/lib/systemd/system/layer45.service" }) {
                assertFalse(Files.exists(Path.of(gone)), "purge removes " + gone);
            }
            assertTrue(Command.run("dpkg", "-s", PACKAGE).status() != 0, "purged: dpkg knows it no more");
        } finally {
            Command.run("dpkg", "-P", PACKAGE); // whatever happened: leave the machine as it was
            Command.run("ip", "netns", "del", UNIQUE);
        }
    }

    /**
     * Starts the daemon from the layout, drives it with layer45 lsmod and layer45 shell, sets a module's state,
     * checks a non-root user cannot use the socket, restarts it and checks the state was kept.
     */
    private void driveRestartAndKeepState(Path root, Path socket) throws Exception {
        Path log = work.resolve("daemon.log");
        try (Daemon daemon = new Daemon(root, socket, log).start()) {
            daemon.awaitModule("echo-tag-client");
            Command lsmod = daemon.client("", "lsmod").ok();
            assertTrue(lsmod.out().contains("echo-tag-server"), lsmod.out());
            daemon.client("", "deactivate", "echo-tag-client").ok();
            daemon.client("", "priority", "echo-tag-server", "7").ok();
            daemon.client("", "mhost", "add", "deb9-kept", "::1").ok();
            Command shell = daemon.client("l45:param echo-tag-client start.tag=DEB9\nl45:modinfo echo-tag-client\n",
                    "shell").ok();
            assertTrue(shell.out().contains("DEB9"), shell.out());
            Command failed = daemon.client("", "priority", "no-such-module", "3");
            assertEquals(1, failed.status(), "a command that failed exits 1: " + failed);
            assertTrue(failed.err().contains("no module named 'no-such-module'"), failed.err());
            Command denied = Command.run(Map.of("LAYER45_SOCKET", socket.toString()), "", "setpriv",
                    "--reuid=nobody", "--regid=nogroup", "--clear-groups", daemon.launcher(), "lsmod");
            if (isRoot() && root.equals(Path.of("/"))) { // a scratch root in a 0700 folder is nobody's anyway
                assertEquals(4, denied.status(), "nobody may not use root's socket: " + denied);
                assertTrue(denied.err().contains("permission denied"), denied.err());
            }
            daemon.stop(Duration.ofSeconds(60));
            assertTrue(daemon.log().contains("layer45: stopped"), daemon.log());
            assertFalse(Files.exists(socket), "the control socket goes with the daemon");
        }
        Command notRunning = Command.run(Map.of("LAYER45_SOCKET", socket.toString()), "",
                root.resolve("usr/bin/layer45").toString(), "lsmod");
        assertEquals(3, notRunning.status(), "no daemon: exit 3, " + notRunning);
        assertTrue(notRunning.err().contains("sudo systemctl start layer45"), notRunning.err());

        try (Daemon daemon = new Daemon(root, socket, log).start()) {
            daemon.awaitModule("echo-tag-client");
            String lsmod = daemon.client("", "lsmod").ok().out();
            assertTrue(lsmod.matches("(?s).*echo-tag-client .* LIVE +no .*"), "still inactive:\n" + lsmod);
            assertTrue(lsmod.matches("(?s).*echo-tag-server .* LIVE +yes +7 .*"), "still priority 7:\n" + lsmod);
            assertTrue(daemon.client("", "modinfo", "echo-tag-client").ok().out().contains("DEB9"),
                    "its own parameter was kept");
            assertTrue(daemon.client("", "mhost").ok().out().contains("deb9-kept"),
                    "a host identifier added from the shell was kept");
            daemon.stop(Duration.ofSeconds(60));
        }
    }

    /** A connection open at stop holds it for net.drain.s (3 s), then is reset; the daemon exits 0. */
    private void stopDrainsAnOpenConnection(Path root, Path socket) throws Exception {
        Path log = work.resolve("drain.log");
        try (Daemon daemon = new Daemon(root, socket, log).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!daemon.log().contains("network stack on")) {
                assertTrue(System.nanoTime() < deadline, "the stack did not start:\n" + daemon.log());
                Thread.sleep(200);
            }
            Process holder = new ProcessBuilder("ip", "netns", "exec", UNIQUE, "python3", "-c",
                    "import socket, sys; s = socket.create_connection(('10.45.0.1', 7)); s.sendall(b'x');"
                            + " s.recv(1); print('open', flush=True); sys.exit(3 if s.recv(1) == b'' else 4)").redirectErrorStream(true)
                    .start();
            try {
                assertEquals("open", new String(holder.getInputStream().readNBytes(4)), "the connection opened");
                Duration took = daemon.stop(Duration.ofSeconds(60));
                String text = daemon.log();
                assertTrue(text.contains("new flows refused; 1 open TCP connection, given up to 3 s to close"), text);
                assertTrue(text.contains("drain time over (3 s): resetting 1 connection still open"), text);
                assertTrue(took.toMillis() >= 3000, "it waited the drain time: " + took);
                assertTrue(holder.waitFor(10, TimeUnit.SECONDS), "the connection ended with the stop");
                String ended = new String(holder.getInputStream().readAllBytes());
                assertEquals(1, holder.exitValue(), "the connection was reset (ConnectionResetError): " + ended);
                assertFalse(Command.run("ip", "netns", "list").out().contains(UNIQUE), "the namespace is removed");
            } finally {
                holder.destroyForcibly();
            }
        }
    }

    /** @return the package again with a higher version, as a rebuild with a bumped version makes it */
    private Path upgraded() throws IOException {
        Path tree = work.resolve("next");
        Command.run("dpkg-deb", "-R", DEB.toString(), tree.toString()).ok();
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: (.*)$", "Version: $1+deb9"));
        Path next = work.resolve("next.deb");
        Command.run("dpkg-deb", "--root-owner-group", "-b", tree.toString(), next.toString()).ok();
        return next;
    }

    /** Sets keys in the layout's /etc/layer45/layer45.conf, as an operator edits it. */
    private static void configure(Path root, String... settings) throws IOException {
        Path conf = root.resolve("etc/layer45/layer45.conf");
        String text = Files.readString(conf);
        for (String setting : settings) {
            String key = setting.substring(0, setting.indexOf(' '));
            text = text.replaceFirst("(?m)^" + java.util.regex.Pattern.quote(key) + " = .*$", setting);
        }
        Files.writeString(conf, text);
    }

    /** What dpkg removes at remove: the package's own files, not the folders others' files are in. */
    private static void deletePackageFiles(Path root) throws IOException {
        for (String file : new String[] { "usr/bin/layer45", "lib/systemd/system/layer45.service" }) {
            Files.deleteIfExists(root.resolve(file));
        }
        Command.run("rm", "-rf", root.resolve("usr/share/layer45").toString()).ok();
    }

    private static boolean isRoot() {
        return "0".equals(Command.run("id", "-u").out().strip());
    }
}
