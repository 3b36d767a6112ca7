package layer45.customizations.aesgcm;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The configured 256-bit key, from which each direction of each flow derives its own. */
final class MasterKey {

    /** Hexadecimal digits of a key. */
    static final int HEX_DIGITS = 64;
    private static final byte[] LABEL = "layer45 aes-gcm v1 ".getBytes(US_ASCII);

    private final SecretKeySpec hmacKey;

    private MasterKey(byte[] key) {
        this.hmacKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * @param module the module's name, for the messages
     * @param hex the key parameter, or empty
     * @param file the key file parameter, or empty
     * @return the key
     * @throws IllegalArgumentException if there is no key, two, or one that is not 64 hexadecimal digits
     */
    static MasterKey configured(String module, String hex, String file) {
        boolean hasKey = !hex.isBlank();
        boolean hasFile = !file.isBlank();
        if (hasKey == hasFile) {
            throw new IllegalArgumentException(module + ": " + (hasKey ? "both key and key.file are set; set only one"
                    : "no key, so nothing would be protected; set key=<" + HEX_DIGITS + " hex digits> or key.file=<a"
                            + " file holding them> (make one with: openssl rand -hex 32)"));
        }
        if (hasKey) {
            return new MasterKey(parse(hex, module + ": key"));
        }
        Path path = Path.of(file.strip());
        try {
            return new MasterKey(parse(Files.readString(path, US_ASCII), module + ": key.file " + path));
        } catch (IOException e) {
            throw new IllegalArgumentException(module + ": cannot read key.file " + path + " (" + e
                    + "); point key.file at a readable file holding " + HEX_DIGITS + " hex digits", e);
        }
    }

    private static byte[] parse(String text, String what) {
        String digits = text.strip();
        if (digits.length() == HEX_DIGITS) {
            try {
                return HexFormat.of().parseHex(digits);
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(what + " is not " + HEX_DIGITS + " hexadecimal digits (a 256-bit key);"
                + " make one with: openssl rand -hex 32");
    }

    /**
     * Derives the AES-256 key of one direction of one flow: HMAC-SHA256 of the label, direction and salt under
     * this key.
     *
     * @param direction {@link WireFormat#CLIENT_TO_SERVER} or {@link WireFormat#SERVER_TO_CLIENT}
     * @param salt the direction's salt
     * @param offset where the salt starts in {@code salt}
     * @return the key
     */
    SecretKeySpec derive(byte direction, byte[] salt, int offset) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            mac.update(LABEL);
            mac.update(direction);
            mac.update(salt, offset, WireFormat.SALT);
            return new SecretKeySpec(mac.doFinal(), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
