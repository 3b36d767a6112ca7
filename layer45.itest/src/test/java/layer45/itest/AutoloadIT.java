package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import layer45.api.Customization;
import layer45.api.Transport;
import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentService;
import layer45.api.runtime.DeploymentState;
import layer45.api.runtime.FlowDTO;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The autoload folder, as an operator uses it: a jar dropped in goes live within about a second; a replaced jar
 * takes over new flows while open flows finish on the old version; a removed jar drains and goes; bad jars are
 * refused with their reason while everything else keeps working, and a fixed jar in their place loads; a jar still
 * being written is never loaded half; jars already there load at start. Timings are measured and reported (in the
 * test output and target/autoload-timings.txt), not asserted beyond a generous hang guard.
 */
class AutoloadIT {

    private static final List<String> TIMINGS = new ArrayList<>();
    private static final String ECHO_JAR = "echo-tag.jar";
    private static final String PEER = "127.0.0.1:65432";

    @TempDir
    Path scratch;

    private OsgiFixture osgi;

    @AfterEach
    void shutdown() {
        if (osgi != null) {
            osgi.close();
        }
    }

    @AfterAll
    static void report() throws IOException {
        TIMINGS.forEach(t -> System.out.println("autoload timing: " + t));
        Files.write(Path.of("target", "autoload-timings.txt"), TIMINGS);
    }

    private OsgiFixture boot() {
        osgi = OsgiFixture.startWithoutModules(Map.of("layer45.autoload.poll.ms", "100"));
        return osgi;
    }

    private DeploymentService deployments() {
        return osgi.service(DeploymentService.class);
    }

    /** Copies a jar into the folder the safe way: a hidden temporary name, then an atomic rename. */
    private void drop(Path jar, String name) throws IOException {
        Path hidden = osgi.autoload().resolve("." + name + ".part");
        Files.copy(jar, hidden, StandardCopyOption.REPLACE_EXISTING);
        Files.move(hidden, osgi.autoload().resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private Optional<DeploymentDTO> deployment(String file, DeploymentState state) {
        return deployments().deployments().stream()
                .filter(d -> Path.of(d.source).getFileName().toString().equals(file) && d.state == state).findFirst();
    }

    private DeploymentDTO awaitDeployment(String file, DeploymentState state) {
        try {
            return OsgiFixture.await(file + " to be " + state, () -> deployment(file, state).orElse(null));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; deployments then: " + describe(), e);
        }
    }

    private String describe() {
        return deployments().deployments().stream().map(d -> Path.of(d.source).getFileName() + "=" + d.state
                + (d.reason.isEmpty() ? "" : " (" + d.reason + ")")).toList().toString();
    }

    private List<ModuleDTO> versions(String name) {
        return osgi.runtime().modules().stream().filter(m -> m.name.equals(name)).toList();
    }

    private DriverFlow echoFlow() {
        return osgi.driver().open(InMemoryFlowDriver.flow(Transport.TCP, "python3", "127.0.0.1:50000", PEER));
    }

    private FlowDTO flow(DriverFlow flow) {
        return osgi.runtime().flows().stream().filter(f -> f.id == flow.tapped().id()).findFirst().orElseThrow();
    }

    private static Path echoTag() {
        return OsgiFixture.bundleDirectory().resolve(ECHO_JAR);
    }

    @Test
    void aDroppedJarGoesLiveAndARemovedOneGoesAway() throws Exception {
        boot();
        long dropped = System.nanoTime();
        drop(echoTag(), ECHO_JAR);
        osgi.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
        long live = System.nanoTime() - dropped;
        TIMINGS.add(String.format("dropped jar to LIVE: %d ms (scan every 100 ms)", live / 1_000_000));
        DeploymentDTO loaded = awaitDeployment(ECHO_JAR, DeploymentState.ACTIVE);
        assertEquals("autoload", loaded.origin);
        assertEquals("echo-tag", loaded.symbolicName);
        assertEquals(Files.size(echoTag()), loaded.size);
        assertEquals(64, loaded.sha256.length());
        assertEquals("[1.1,2)", loaded.apiRange);
        assertEquals(List.of(OsgiFixture.CLIENT, OsgiFixture.SERVER), List.of(loaded.modules).stream().sorted().toList());
        assertTrue(live < 10_000_000_000L, "hang guard: " + live / 1_000_000 + " ms");

        long removed = System.nanoTime();
        Files.delete(osgi.autoload().resolve(ECHO_JAR));
        OsgiFixture.until("echo-tag to be unloaded", () -> osgi.runtime().modules().isEmpty()
                && deployments().deployments().isEmpty());
        TIMINGS.add(String.format("removed jar (no flows) to unloaded: %d ms", (System.nanoTime() - removed) / 1_000_000));
        assertTrue(osgi.services("(objectClass=" + OsgiFixture.CUSTOMIZATION + ")").isEmpty());
        assertFalse(Stream.of(osgi.context().getBundles()).anyMatch(b -> "echo-tag".equals(b.getSymbolicName())),
                "its bundle is uninstalled");
    }

    @Test
    void aReplacedJarTakesNewFlowsWhileOpenFlowsFinishOnTheOldVersion() throws Exception {
        boot();
        drop(echoTag(), ECHO_JAR);
        long v1 = awaitDeployment(ECHO_JAR, DeploymentState.ACTIVE).bundleId;
        osgi.awaitLive(OsgiFixture.CLIENT);
        try (DriverFlow old = echoFlow()) {
            assertEquals("<start>one<end>", Bytes.text(old.send(Bytes.ascii("one"))));
            assertArrayEquals(new long[] { v1 }, flow(old).moduleBundles);

            long replaced = System.nanoTime();
            drop(withVersion(echoTag(), "9.9.9"), ECHO_JAR);
            DeploymentDTO v2 = OsgiFixture.await("the new version to be ACTIVE",
                    () -> deployment(ECHO_JAR, DeploymentState.ACTIVE).filter(d -> d.bundleId != v1).orElse(null));
            TIMINGS.add(String.format("replaced jar to new version LIVE: %d ms",
                    (System.nanoTime() - replaced) / 1_000_000));
            assertEquals("9.9.9", v2.version);
            assertEquals(v1, awaitDeployment(ECHO_JAR, DeploymentState.DRAINING).bundleId);

            List<ModuleDTO> client = versions(OsgiFixture.CLIENT);
            assertEquals(2, client.size(), "both versions are listed while the old one drains: " + client);
            assertTrue(client.stream().anyMatch(m -> m.state == ModuleState.LIVE && m.bundleVersion.equals("9.9.9")));
            assertTrue(client.stream().anyMatch(m -> m.state == ModuleState.DEPRECATED && m.bundleId == v1
                    && m.usedBy == 1));

            assertEquals("<start>two<end>", Bytes.text(old.send(Bytes.ascii("two"))), "the open flow goes on");
            assertArrayEquals(new long[] { v1 }, flow(old).moduleBundles, "on the old version");
            try (DriverFlow fresh = echoFlow()) {
                assertEquals("<start>new<end>", Bytes.text(fresh.send(Bytes.ascii("new"))));
                assertArrayEquals(new long[] { v2.bundleId }, flow(fresh).moduleBundles, "new flows get the new one");
            }
        }
        long closed = System.nanoTime();
        OsgiFixture.until("the old version to go once its flow closed",
                () -> versions(OsgiFixture.CLIENT).size() == 1 && deployment(ECHO_JAR, DeploymentState.DRAINING).isEmpty());
        TIMINGS.add(String.format("last flow of the old version closed to its bundle uninstalled: %d ms",
                (System.nanoTime() - closed) / 1_000_000));
        assertEquals(1, Stream.of(osgi.context().getBundles()).filter(b -> "echo-tag".equals(b.getSymbolicName()))
                .count());
    }

    @Test
    void aRemovedJarDrainsItsFlowsBeforeItGoes() throws Exception {
        boot();
        drop(echoTag(), ECHO_JAR);
        osgi.awaitLive(OsgiFixture.CLIENT);
        try (DriverFlow open = echoFlow()) {
            open.send(Bytes.ascii("a"));
            Files.delete(osgi.autoload().resolve(ECHO_JAR));
            awaitDeployment(ECHO_JAR, DeploymentState.DRAINING);
            assertEquals(ModuleState.DEPRECATED, versions(OsgiFixture.CLIENT).get(0).state);
            assertEquals("<start>b<end>", Bytes.text(open.send(Bytes.ascii("b"))), "the open flow keeps its module");
            try (DriverFlow fresh = echoFlow()) {
                assertEquals("c", Bytes.text(fresh.send(Bytes.ascii("c"))), "new flows do not get it");
            }
        }
        OsgiFixture.until("echo-tag to go once its flow closed", () -> osgi.runtime().modules().isEmpty());
    }

    /** Jars that must be refused, each with what the reason must say. */
    enum BadJar {
        GARBAGE("it is not a jar"),
        NOT_A_BUNDLE("it is not an OSGi bundle: its manifest has no Bundle-SymbolicName"),
        OTHER_API_VERSION("vermagic"),
        BROKEN_TARGET("layer45.remote.port: '70000'"),
        NO_CUSTOMIZATION("it provides no customization");

        final String reason;

        BadJar(String reason) {
            this.reason = reason;
        }
    }

    @ParameterizedTest
    @EnumSource(BadJar.class)
    void aBadJarIsRefusedWithItsReasonAndAFixedOneInItsPlaceLoads(BadJar bad) throws Exception {
        boot();
        drop(echoTag(), ECHO_JAR);
        osgi.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
        String file = "bad.jar";
        drop(badJar(bad), file);
        DeploymentDTO refused = awaitDeployment(file, DeploymentState.REFUSED);
        assertTrue(refused.reason.contains(bad.reason), refused.reason);
        assertTrue(osgi.runtime().refusals().stream().anyMatch(r -> r.reason.contains(bad.reason)),
                "the refusal is on record too");
        assertEquals(2, osgi.runtime().modules().stream().filter(m -> m.state == ModuleState.LIVE).count(),
                "nothing else was disturbed");
        assertTrue(Stream.of(osgi.context().getBundles()).noneMatch(b -> b.getLocation().contains("bad.jar")),
                "the refused jar left no bundle behind");

        drop(fixedJar(), file);
        DeploymentDTO fixed = awaitDeployment(file, DeploymentState.ACTIVE);
        assertEquals(List.of("fixed-module"), List.of(fixed.modules));
        assertTrue(deployment(file, DeploymentState.REFUSED).isEmpty(), "the refusal is gone: " + describe());
    }

    @Test
    void aJarThatIsStillBeingWrittenIsNotLoadedHalf() throws Exception {
        boot();
        byte[] jar = Files.readAllBytes(echoTag());
        Path target = osgi.autoload().resolve(ECHO_JAR);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(jar, 0, jar.length / 2);
            out.flush();
            Thread.sleep(600); // a writer pausing for six scans: the size is stable, but the jar is not whole
            assertTrue(deployments().deployments().isEmpty(), "nothing was loaded or refused: " + describe());
            out.write(jar, jar.length / 2, jar.length - jar.length / 2);
        }
        awaitDeployment(ECHO_JAR, DeploymentState.ACTIVE);
        osgi.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
        assertTrue(osgi.runtime().refusals().isEmpty(), "never refused: " + osgi.runtime().refusals());
    }

    @Test
    void jarsAlreadyInTheFolderLoadAtStart() throws Exception {
        Path folder = Files.createDirectories(scratch.resolve("modules"));
        Files.copy(echoTag(), folder.resolve(ECHO_JAR));
        Files.writeString(folder.resolve("broken.jar"), "not a jar");
        osgi = OsgiFixture.startWithoutModules(Map.of("layer45.autoload.dir", folder.toString()));
        osgi.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
        assertEquals(folder.toString(), deployments().autoloadDirectory());
        OsgiFixture.until("broken.jar refused, after its grace time for a slow writer",
                () -> deployment("broken.jar", DeploymentState.REFUSED).isPresent());
    }

    @Test
    void unloadingEveryModuleOfAJarUninstallsItsBundle() throws Exception {
        boot();
        drop(echoTag(), ECHO_JAR);
        osgi.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
        osgi.runtime().unload(OsgiFixture.CLIENT, false);
        assertEquals(List.of(OsgiFixture.SERVER), osgi.runtime().modules().stream().map(m -> m.name).toList());
        osgi.runtime().unload(OsgiFixture.SERVER, false);
        OsgiFixture.until("the bundle to go with its last module", () -> deployments().deployments().isEmpty()
                && Stream.of(osgi.context().getBundles()).noneMatch(b -> "echo-tag".equals(b.getSymbolicName())));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Jars for the tests
    // ---------------------------------------------------------------------------------------------------------

    /** The echo-tag jar with another Bundle-Version: a new release of the same module. */
    private Path withVersion(Path jar, String version) throws IOException {
        Path out = scratch.resolve("echo-tag-" + version + ".jar");
        try (InputStream in = Files.newInputStream(jar); JarInputStream source = new JarInputStream(in)) {
            Manifest manifest = source.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream o = Files.newOutputStream(out); JarOutputStream target = new JarOutputStream(o, manifest)) {
                for (JarEntry entry; (entry = source.getNextJarEntry()) != null;) {
                    target.putNextEntry(new JarEntry(entry.getName()));
                    source.transferTo(target);
                    target.closeEntry();
                }
            }
        }
        return out;
    }

    private Path badJar(BadJar bad) throws IOException {
        return switch (bad) {
            case GARBAGE -> Files.writeString(scratch.resolve("garbage.jar"), "this is not a jar");
            case NOT_A_BUNDLE -> plainJar();
            case OTHER_API_VERSION -> moduleBundle("future", "future-module", "[2.0,3)", "");
            case BROKEN_TARGET -> moduleBundle("broken", "broken-module", "[1.0,2)",
                    "<property name=\"layer45.remote.port\" type=\"String\" value=\"70000\"/>");
            case NO_CUSTOMIZATION -> GeneratedBundle.named("empty").header("Bundle-Name", "nothing in it")
                    .resource("readme.txt", "no components here").build(scratch);
        };
    }

    private Path fixedJar() throws IOException {
        return moduleBundle("fixed", "fixed-module", "[1.0,2)", "");
    }

    private Path plainJar() throws IOException {
        Path jar = scratch.resolve("plain.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(o, manifest)) {
            out.putNextEntry(new JarEntry("hello.txt"));
            out.write("a plain jar, not a bundle".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    /**
     * A customization bundle with one Declarative Services component, written by hand the way bnd would.
     *
     * @param pkg its package (and symbolic name)
     * @param component the component (module) name
     * @param apiRange the layer45.api versions it imports
     * @param properties extra {@code <property>} elements
     */
    private Path moduleBundle(String pkg, String component, String apiRange, String properties) throws IOException {
        return GeneratedBundle.named(pkg)
                .header("Import-Package", "layer45.api;version=\"" + apiRange + "\"")
                .header("Service-Component", "OSGI-INF/" + component + ".xml")
                .header("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)"
                        + "(version>=1.3.0)(!(version>=2.0.0)))\"")
                .source(pkg + ".Module", """
                        package %s;
                        import layer45.api.*;
                        public class Module implements Customization {
                            public Verdict send(Chunk in, Output out, Flow flow) { return Verdict.NO_CUSTOMIZATION; }
                            public Verdict recv(Chunk in, Output out, Flow flow) { return Verdict.NO_CUSTOMIZATION; }
                        }
                        """.formatted(pkg))
                .resource("OSGI-INF/" + component + ".xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s">
                          <implementation class="%s.Module"/>
                          <service><provide interface="layer45.api.Customization"/></service>
                          %s
                        </scr:component>
                        """.formatted(component, pkg, properties))
                .compileAgainst(Customization.class).build(scratch);
    }
}
