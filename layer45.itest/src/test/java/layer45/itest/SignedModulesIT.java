package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import layer45.api.runtime.DeploymentService;
import layer45.api.runtime.DeploymentState;
import layer45.runtime.testing.ModuleSigning;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module signing in a real framework: jars in the autoload folder and jars loaded with insmod are checked against the
 * trust store before they are installed; refusals carry the reason into lsmod; unsigned jars, where allowed, taint
 * the runtime.
 */
class SignedModulesIT {

    @TempDir
    static Path keys;

    private static ModuleSigning trusted;
    private static ModuleSigning stranger;
    private static Path truststore;
    private static byte[] echoTag;

    @BeforeAll
    static void generateKeys() throws Exception {
        trusted = ModuleSigning.generate(keys, "operator");
        stranger = ModuleSigning.generate(keys, "stranger");
        truststore = trusted.trustIn(keys.resolve("trust.p12"));
        echoTag = Files.readAllBytes(OsgiFixture.bundleDirectory().resolve("echo-tag.jar"));
    }

    private static OsgiFixture runtime(String policy) {
        return OsgiFixture.startWithoutModules(Map.of("layer45.modules.signature", policy,
                "layer45.modules.truststore", truststore.toString(),
                "layer45.modules.truststore.password", ModuleSigning.PASSWORD));
    }

    @Test
    void underRequiredOnlyTrustedSignedJarsLoadAndTheOthersAreRefusedWithTheirReason() throws Exception {
        try (OsgiFixture osgi = runtime("required"); GogoSession shell = new GogoSession(osgi.context())) {
            Path autoload = osgi.autoload();
            Files.write(autoload.resolve("unsigned.jar"), echoTag);
            Files.write(autoload.resolve("stranger.jar"), stranger.sign(echoTag));
            Files.write(autoload.resolve("tampered.jar"), ModuleSigning.tamper(trusted.sign(echoTag),
                    "OSGI-INF/echo-tag-client.xml", "<not-what-was-signed/>".getBytes()));
            DeploymentService deployments = osgi.service(DeploymentService.class);
            OsgiFixture.until("three refusals", () -> deployments.deployments().stream()
                    .filter(d -> d.state == DeploymentState.REFUSED).count() == 3);
            assertTrue(reason(deployments, "unsigned.jar").startsWith("it is not signed, and modules.signature ="
                    + " required"), reason(deployments, "unsigned.jar"));
            assertTrue(reason(deployments, "stranger.jar").contains("does not trust"), reason(deployments,
                    "stranger.jar"));
            assertTrue(reason(deployments, "tampered.jar").startsWith("its signature does not verify"),
                    reason(deployments, "tampered.jar"));
            assertEquals(java.util.List.of(), osgi.runtime().modules(), "nothing loaded");

            Files.write(autoload.resolve("signed.jar"), trusted.sign(echoTag));
            osgi.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
            String lsmod = shell.run("l45:lsmod");
            assertTrue(lsmod.contains("it is not signed") && !lsmod.contains("Tainted"), lsmod);

            Path unsignedCopy = keys.resolve("insmod-unsigned.jar");
            Files.write(unsignedCopy, echoTag);
            String refused = shell.fail("l45:insmod " + unsignedCopy).getMessage();
            assertTrue(refused.contains("it is not signed"), "insmod is checked as autoload is: " + refused);
        }
    }

    @Test
    void underAllowUnsignedAnUnsignedJarLoadsAndTaintsTheRuntime() throws Exception {
        try (OsgiFixture osgi = runtime("allow-unsigned"); GogoSession shell = new GogoSession(osgi.context())) {
            assertFalse(shell.run("l45:stats").contains("tainted"), "not tainted before");
            Files.write(osgi.autoload().resolve("unsigned.jar"), echoTag);
            osgi.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
            String lsmod = OsgiFixture.await("the taint in lsmod", () -> {
                String text = shell.run("l45:lsmod");
                return text.contains("Tainted: U") ? text : null;
            });
            assertTrue(lsmod.contains("echo-tag-client (U)") && lsmod.contains("unsigned unsigned.jar loaded at"),
                    lsmod);
            assertEquals("LIVE", GogoSession.Table.parse(lsmod, "Size", "Used", "Priority")
                    .row("Module", OsgiFixture.CLIENT).get("State"), "the table reads as before: " + lsmod);
            assertTrue(shell.run("l45:stats").contains("tainted: U (unsigned unsigned.jar"));
            Object taint = osgi.context().getServiceReference(DeploymentService.class).getProperty("layer45.tainted");
            assertTrue(String.valueOf(taint).startsWith("unsigned unsigned.jar"), "agents read it: " + taint);
        }
    }

    private static String reason(DeploymentService deployments, String file) {
        return deployments.deployments().stream().filter(d -> d.source.endsWith(file)).map(d -> d.reason)
                .findFirst().orElse("(no deployment of " + file + ")");
    }
}
