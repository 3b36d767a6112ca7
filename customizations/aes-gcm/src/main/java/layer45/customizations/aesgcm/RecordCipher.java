package layer45.customizations.aesgcm;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the records of one direction of one flow: one {@link Cipher}, kept for the flow's lifetime, with
 * the record number as nonce and the direction and record number as associated data.
 */
final class RecordCipher {

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte direction;
    private final byte[] nonce = new byte[12];
    private final byte[] associated = new byte[1 + 8];

    /**
     * @param key the direction's derived key
     * @param direction the direction byte, bound into every record
     */
    RecordCipher(SecretKeySpec key, byte direction) {
        this.key = key;
        this.direction = direction;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is missing from this JDK", e);
        }
    }

    /**
     * @return the length written to {@code out}: {@code length} plus the tag
     */
    int seal(long number, byte[] in, int length, byte[] out, int offset) {
        try {
            start(Cipher.ENCRYPT_MODE, number);
            return cipher.doFinal(in, 0, length, out, offset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * @return the plaintext length written to {@code out}, or -1 if the record is not authentic
     */
    int open(long number, byte[] in, int length, byte[] out) {
        try {
            start(Cipher.DECRYPT_MODE, number);
            return cipher.doFinal(in, 0, length, out, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private void start(int mode, long number) throws GeneralSecurityException {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (number >>> 56 - 8 * i);
        }
        System.arraycopy(nonce, 4, associated, 1, 8);
        associated[0] = direction;
        cipher.init(mode, key, new GCMParameterSpec(WireFormat.TAG * 8, nonce));
        cipher.updateAAD(associated);
    }
}
