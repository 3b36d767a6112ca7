package layer45.agent.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that a device runs the jar the orchestrator deployed: the orchestrator sends a fresh random nonce, the device
 * answers HMAC-SHA256(key = nonce, message = the jar's bytes); only a device holding the exact bytes can answer, and
 * an old answer is no good for a new nonce.
 */
public final class Challenge {

    /** The nonce length, in bytes. */
    public static final int NONCE_BYTES = 32;

    private Challenge() {
    }

    /**
     * @param nonce the challenge
     * @param jar the jar's bytes
     * @return the response, in hex
     */
    public static String response(byte[] nonce, byte[] jar) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nonce, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(jar));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /**
     * @param bytes content
     * @return its SHA-256, in hex
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
