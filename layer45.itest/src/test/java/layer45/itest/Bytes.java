package layer45.itest;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Arrays;

/** Text and byte helpers for the tests. */
final class Bytes {

    private Bytes() {
    }

    /** @return the text's US-ASCII bytes */
    static byte[] ascii(String text) {
        return text.getBytes(US_ASCII);
    }

    /** @return the bytes as US-ASCII text, for readable assertion messages */
    static String text(byte[] bytes) {
        return new String(bytes, US_ASCII);
    }

    /** @return {@code bytes[from, to)} */
    static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    /** @return where the pattern first occurs in the bytes, or -1 */
    static int indexOf(byte[] bytes, byte[] pattern) {
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }
}
