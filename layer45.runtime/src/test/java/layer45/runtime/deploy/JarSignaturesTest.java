package layer45.runtime.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import layer45.runtime.config.SigningSettings;
import layer45.runtime.config.SigningSettings.Policy;
import layer45.runtime.testing.ModuleSigning;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jars are loaded only when signed by a trusted signer, or unsigned where the operator allows it. */
class JarSignaturesTest {

    @TempDir
    static Path keys;

    private static ModuleSigning trusted;
    private static ModuleSigning stranger;
    private static SigningSettings required;
    private static SigningSettings allowUnsigned;
    private static byte[] jar;

    @BeforeAll
    static void generateKeys() throws Exception {
        trusted = ModuleSigning.generate(keys, "trusted");
        stranger = ModuleSigning.generate(keys, "stranger");
        Path truststore = trusted.trustIn(keys.resolve("trust.p12"));
        required = new SigningSettings(Policy.REQUIRED, truststore, ModuleSigning.PASSWORD);
        allowUnsigned = new SigningSettings(Policy.ALLOW_UNSIGNED, truststore, ModuleSigning.PASSWORD);
        jar = JarFactsTest.jar(Map.of("Bundle-SymbolicName", "m"), Map.of("m/A.class", "code", "m/b.txt", "data"));
    }

    @Test
    void aJarSignedByATrustedSignerLoadsUnderEitherPolicy() throws Exception {
        byte[] signed = trusted.sign(jar);
        Signature signature = JarSignatures.check(signed, required);
        assertTrue(signature.signed());
        assertTrue(signature.signer().contains("CN=trusted"), signature.signer());
        assertEquals(signature, JarSignatures.check(signed, allowUnsigned));
    }

    @Test
    void anUnsignedJarIsRefusedWhenSignaturesAreRequiredAndTaintsOtherwise() {
        Refused refused = assertThrows(Refused.class, () -> JarSignatures.check(jar, required));
        assertTrue(refused.getMessage().startsWith("it is not signed, and modules.signature = required; sign it"),
                refused.getMessage());
        assertFalse(assertDoesNotThrow(() -> JarSignatures.check(jar, allowUnsigned)).signed());
    }

    @Test
    void aJarSignedByAnUntrustedKeyIsRefusedEvenWhenUnsignedOnesMayLoad() throws Exception {
        byte[] signed = stranger.sign(jar);
        for (SigningSettings settings : new SigningSettings[] { required, allowUnsigned }) {
            Refused refused = assertThrows(Refused.class, () -> JarSignatures.check(signed, settings));
            assertTrue(refused.getMessage().contains("CN=stranger") && refused.getMessage().contains("does not trust"),
                    refused.getMessage());
        }
    }

    @Test
    void aJarChangedAfterSigningIsRefused() throws Exception {
        byte[] tampered = ModuleSigning.tamper(trusted.sign(jar), "m/A.class", "evil".getBytes(UTF_8));
        for (SigningSettings settings : new SigningSettings[] { required, allowUnsigned }) {
            Refused refused = assertThrows(Refused.class, () -> JarSignatures.check(tampered, settings));
            assertTrue(refused.getMessage().startsWith("its signature does not verify: ")
                    && refused.getMessage().contains("m/A.class"), refused.getMessage());
        }
    }

    @Test
    void anEntryAddedAfterSigningIsRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(trusted.sign(jar)));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(zip);
            }
            zip.putNextEntry(new ZipEntry("m/Extra.class"));
            zip.write("more".getBytes(UTF_8));
        }
        Refused refused = assertThrows(Refused.class, () -> JarSignatures.check(out.toByteArray(), allowUnsigned));
        assertEquals("entries were added after it was signed: m/Extra.class are not signed; sign the whole jar again",
                refused.getMessage());
    }

    @Test
    void aSignedJarWithoutATrustStoreOrWithAWrongPasswordIsRefusedWithWhatToFix() throws Exception {
        byte[] signed = trusted.sign(jar);
        Refused none = assertThrows(Refused.class, () -> JarSignatures.check(signed,
                new SigningSettings(Policy.REQUIRED, null, "")));
        assertTrue(none.getMessage().contains("set modules.truststore"), none.getMessage());
        Refused wrong = assertThrows(Refused.class, () -> JarSignatures.check(signed,
                new SigningSettings(Policy.REQUIRED, required.truststore(), "wrong")));
        assertTrue(wrong.getMessage().contains("cannot be read") && wrong.getMessage().contains(
                "modules.truststore.password"), wrong.getMessage());
    }

    @Test
    void signatureFilesAreRecognised() {
        assertTrue(JarSignatures.isSignatureFile("META-INF/TRUSTED.SF"));
        assertTrue(JarSignatures.isSignatureFile("META-INF/x.ec"));
        assertFalse(JarSignatures.isSignatureFile("META-INF/MANIFEST.MF"));
        assertFalse(JarSignatures.isSignatureFile("META-INF/maven/x.SF"));
        assertFalse(JarSignatures.isSignatureFile("OSGI-INF/x.RSA"));
    }

    private static Signature assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<Signature> check) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(check);
    }
}
