package layer45.runtime.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import jdk.security.jarsigner.JarSigner;

/**
 * A module signer for tests: a key pair and self-signed certificate that {@code keytool} generates into a temporary
 * folder (never committed), jars signed with it as {@code jarsigner} signs them, and trust stores that trust it.
 */
public final class ModuleSigning {

    /** The password of the generated key stores and of {@link #trustIn trust stores}. */
    public static final String PASSWORD = "layer45-test";

    private final String name;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private ModuleSigning(String name, PrivateKey key, X509Certificate certificate) {
        this.name = name;
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * Generates a signer with keytool (EC P-256, self-signed, valid for a day).
     *
     * @param folder where its key store goes
     * @param name its alias and common name
     * @return the signer
     */
    public static ModuleSigning generate(Path folder, String name) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path store = folder.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-alias", name, "-dname", "CN=" + name + ",O=layer45 test",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool could not generate the test key " + name + ": " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        return new ModuleSigning(name, (PrivateKey) keys.getKey(name, PASSWORD.toCharArray()),
                (X509Certificate) keys.getCertificate(name));
    }

    /** @return the signer's certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Adds this signer's certificate to a PKCS12 trust store (created if missing), password {@link #PASSWORD}.
     *
     * @param truststore the trust store
     * @return the trust store
     */
    public Path trustIn(Path truststore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(truststore)) {
            try (InputStream in = Files.newInputStream(truststore)) {
                store.load(in, PASSWORD.toCharArray());
            }
        } else {
            store.load(null, null);
        }
        store.setCertificateEntry(name, certificate);
        try (OutputStream out = Files.newOutputStream(truststore)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return truststore;
    }

    /**
     * Signs a jar as jarsigner does.
     *
     * @param jar the jar's content
     * @return the signed jar's content
     */
    public byte[] sign(byte[] jar) throws IOException, GeneralSecurityException {
        Path unsigned = Files.createTempFile("layer45-unsigned-", ".jar");
        try {
            Files.write(unsigned, jar);
            JarSigner signer = new JarSigner.Builder(key, CertificateFactory.getInstance("X.509")
                    .generateCertPath(List.of(certificate))).signerName(name.toUpperCase(java.util.Locale.ROOT)
                            .replaceAll("[^A-Z0-9_-]", "_")).build();
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            try (ZipFile zip = new ZipFile(unsigned.toFile())) {
                signer.sign(zip, signed);
            }
            return signed.toByteArray();
        } finally {
            Files.deleteIfExists(unsigned);
        }
    }

    /**
     * Changes one entry of a jar and leaves everything else, its signature included, as it was: a tampered jar.
     *
     * @param jar a jar's content
     * @param entry the entry to change
     * @param content its new content
     * @return the changed jar
     */
    public static byte[] tamper(byte[] jar, String entry, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean found = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(entry)) {
                    zip.write(content);
                    found = true;
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        if (!found) {
            throw new IllegalArgumentException("the jar has no entry " + entry);
        }
        return out.toByteArray();
    }
}
