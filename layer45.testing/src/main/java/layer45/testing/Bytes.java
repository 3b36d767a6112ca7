package layer45.testing;

/** Shows bytes in messages: printable ASCII as it is, anything else escaped, long runs shortened. */
final class Bytes {

    private static final int SHOWN = 200;

    private Bytes() {
    }

    static String show(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < Math.min(bytes.length, SHOWN); i++) {
            int b = bytes[i] & 0xFF;
            switch (b) {
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7F) {
                        s.append((char) b);
                    } else {
                        s.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        s.append('"');
        if (bytes.length > SHOWN) {
            s.append("... (").append(bytes.length).append(" bytes)");
        }
        return s.toString();
    }
}
