package layer45.runtime.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

import layer45.runtime.config.SigningSettings;
import layer45.runtime.config.SigningSettings.Policy;

/**
 * Checks a customization jar's signature (as {@code jarsigner -verify} does) before it is installed: every entry
 * signed, by one signer, whose certificate chain leads to a certificate in the trust store
 * ({@code modules.truststore}, PKCS12).
 *
 * <p>A jar whose entries do not match their signed digests (changed after signing), that has entries nobody
 * signed next to signed ones (added after signing), that is signed by several signers, or whose signer is not
 * trusted is always refused. An unsigned jar (no signature files at all) is refused under
 * {@code modules.signature = required} and accepted under {@code allow-unsigned}, where it taints the runtime.
 */
final class JarSignatures {

    private JarSignatures() {
    }

    /**
     * @param jar the jar's content
     * @param settings the policy and trust store
     * @return who signed it, or {@link Signature#UNSIGNED} if it is unsigned and the policy lets it in
     * @throws Refused saying what is wrong with the signature, and what to do
     */
    static Signature check(byte[] jar, SigningSettings settings) throws Refused {
        CodeSigner[] signers = null;
        List<String> unsigned = new ArrayList<>();
        boolean signatureFiles = false;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar), true)) {
            for (JarEntry entry; (entry = in.getNextJarEntry()) != null;) {
                String name = entry.getName();
                if (isSignatureFile(name)) {
                    signatureFiles = true;
                    continue;
                }
                in.transferTo(OutputStream.nullOutputStream()); // the digest is checked at the end of the entry
                if (entry.isDirectory() || name.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                CodeSigner[] entrySigners = entry.getCodeSigners();
                if (entrySigners == null) {
                    unsigned.add(name);
                } else if (signers == null) {
                    signers = entrySigners;
                } else if (!sameSigners(signers, entrySigners)) {
                    throw new Refused("its entries are signed by different signers (" + subjects(signers) + " and "
                            + subjects(entrySigners) + " for " + name + "); sign the whole jar once, with one key");
                }
            }
        } catch (SecurityException e) {
            throw new Refused("its signature does not verify: " + e.getMessage() + " (it was changed after it was"
                    + " signed); sign the jar again, or find out who changed it", e);
        } catch (IOException e) {
            throw new Refused("its signature cannot be checked: " + e.getMessage(), e);
        }
        if (signers == null) {
            if (signatureFiles) {
                throw new Refused("it carries signature files, but no entry verifies against them (a signature"
                        + " copied from another jar, or a changed manifest); sign the jar again");
            }
            if (settings.policy() == Policy.REQUIRED) {
                throw new Refused("it is not signed, and " + SigningSettings.SIGNATURE + " = required; sign it with"
                        + " jarsigner with a key whose certificate is in the trust store"
                        + (settings.truststore() == null ? "" : " " + settings.truststore()));
            }
            return Signature.UNSIGNED;
        }
        if (!unsigned.isEmpty()) {
            throw new Refused("entries were added after it was signed: " + String.join(", ", unsigned.stream()
                    .limit(5).toList()) + (unsigned.size() > 5 ? " and " + (unsigned.size() - 5) + " more" : "")
                    + " are not signed; sign the whole jar again");
        }
        return new Signature(trustedSigner(signers, settings));
    }

    /** @return the subject of the first signer whose chain the trust store vouches for */
    private static String trustedSigner(CodeSigner[] signers, SigningSettings settings) throws Refused {
        KeyStore store = trustStore(settings);
        Set<X509Certificate> trusted = trustedCertificates(store);
        for (CodeSigner signer : signers) {
            List<? extends Certificate> chain = signer.getSignerCertPath().getCertificates();
            if (!chain.isEmpty() && trusted.contains(chain.getFirst())) {
                return subject(signer);
            }
            if (validates(signer.getSignerCertPath(), trusted)) {
                return subject(signer);
            }
        }
        throw new Refused("it is signed by " + subjects(signers) + ", whom the trust store " + settings.truststore()
                + " does not trust; add the signer's certificate (or its CA's) with keytool -importcert, or sign the"
                + " jar with a trusted key");
    }

    private static boolean validates(CertPath path, Set<X509Certificate> trusted) {
        if (trusted.isEmpty()) {
            return false;
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            trusted.forEach(certificate -> anchors.add(new TrustAnchor(certificate, null)));
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyStore trustStore(SigningSettings settings) throws Refused {
        if (settings.truststore() == null) {
            throw new Refused("it is signed, but no trust store is configured to check its signer against; set "
                    + SigningSettings.TRUSTSTORE + " to a PKCS12 file with the trusted certificates");
        }
        try (InputStream in = Files.newInputStream(settings.truststore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, settings.password().isEmpty() ? null : settings.password().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new Refused("the trust store " + settings.truststore() + " cannot be read (" + e.getMessage()
                    + "); check " + SigningSettings.TRUSTSTORE + " and " + SigningSettings.PASSWORD, e);
        }
    }

    private static Set<X509Certificate> trustedCertificates(KeyStore store) throws Refused {
        Set<X509Certificate> trusted = new HashSet<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                    trusted.add(certificate);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Refused("the trust store cannot be listed: " + e.getMessage(), e);
        }
        return trusted;
    }

    /** @return whether an entry is part of the signature itself (which signs the others) */
    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                || upper.startsWith("META-INF/SIG-");
    }

    private static boolean sameSigners(CodeSigner[] a, CodeSigner[] b) {
        return new HashSet<>(Arrays.asList(a)).equals(new HashSet<>(Arrays.asList(b)));
    }

    private static String subjects(CodeSigner[] signers) {
        return String.join(" + ", Arrays.stream(signers).map(JarSignatures::subject).toList());
    }

    private static String subject(CodeSigner signer) {
        List<? extends Certificate> chain = signer.getSignerCertPath().getCertificates();
        return !chain.isEmpty() && chain.getFirst() instanceof X509Certificate x509
                ? x509.getSubjectX500Principal().getName() : "an unknown signer";
    }
}
