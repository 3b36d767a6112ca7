package layer45.mnet.fuzzdemo;

/** Throwaway TLV parser with a planted bug behind a 4-byte magic, to prove the fuzzing setup. */
final class DemoTlvParser {
    static final int MAGIC = 0x4C34_3521; // "L45!"

    private DemoTlvParser() {}

    /** Returns the number of records, or -1 when the input is truncated. */
    static int parse(byte[] in) {
        int records = 0;
        int i = 0;
        while (i + 2 <= in.length) {
            int type = in[i] & 0xff;
            int length = in[i + 1] & 0xff;
            if (i + 2 + length > in.length) {
                return -1;
            }
            if (type == 0x7f && length >= 4 && readInt(in, i + 2) == MAGIC) {
                // Planted bug: reads the byte after the record, past the end when the record is the last one.
                records += in[i + 2 + length] & 1;
            }
            records++;
            i += 2 + length;
        }
        return records;
    }

    private static int readInt(byte[] in, int at) {
        return (in[at] & 0xff) << 24 | (in[at + 1] & 0xff) << 16 | (in[at + 2] & 0xff) << 8 | in[at + 3] & 0xff;
    }
}
