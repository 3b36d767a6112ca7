package layer45.mnet.testing;

/**
 * Reads structured values from a fuzzer's bytes, in the manner of Jazzer's {@code FuzzedDataProvider} but over a
 * plain {@code byte[]} (so that the fuzz test takes the parameter every fuzz test here takes, and replays its
 * committed inputs the same way). Past the end, every value reads as its smallest.
 */
public final class FuzzInput {

    private final byte[] bytes;
    private int at;

    /** @param bytes the fuzzer's input */
    public FuzzInput(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @return bytes not read yet */
    public int remaining() {
        return bytes.length - at;
    }

    private int next() {
        return at < bytes.length ? bytes[at++] & 0xFF : 0;
    }

    /** @return a boolean from one byte */
    public boolean bool() {
        return (next() & 1) != 0;
    }

    /** @return four bytes, big-endian */
    public int anyInt() {
        return next() << 24 | next() << 16 | next() << 8 | next();
    }

    /**
     * @param min the least value
     * @param max the largest value
     * @return a value in [min, max] from as few bytes as the range needs
     */
    public int range(int min, int max) {
        long span = (long) max - min + 1;
        long value = 0;
        for (long covered = 1; covered < span; covered <<= 8) {
            value = value << 8 | next();
        }
        return (int) (min + Math.floorMod(value, span));
    }

    /**
     * @param n how many bytes at most
     * @return the next bytes, fewer at the end
     */
    public byte[] bytes(int n) {
        int count = Math.min(n, remaining());
        byte[] out = java.util.Arrays.copyOfRange(bytes, at, at + count);
        at += count;
        return out;
    }
}
