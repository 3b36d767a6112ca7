package layer45.mnet.wire;

/** Argument checks shared by the Repr records: a bad field value is a programmer error, said precisely. */
final class Reprs {

    private Reprs() {
    }

    static int range(String what, int value, int min, int max) {
        return range(what, null, value, min, max);
    }

    /**
     * As {@link #range(String, int, int, int)} for a field named in two parts ("ICMPv6", "code"), joined only to
     * report a bad value, so that a valid record builds no string.
     */
    static int range(String protocol, String field, int value, int min, int max) {
        if (value < min || value > max) {
            String what = field == null ? protocol : protocol + " " + field;
            throw new IllegalArgumentException(what + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    static void room(String header, int needed, int available) {
        if (available < needed) {
            throw new IllegalArgumentException("Cannot emit " + header + ": it needs " + needed
                    + " bytes but the view wraps " + available + "; wrap bufferLength() bytes");
        }
    }
}
