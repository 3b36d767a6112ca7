package layer45.mnet.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** DNS queries as a resolver writes them, and readers of responses, for the tests of the stack's name service. */
public final class DnsMessages {

    private DnsMessages() {
    }

    /**
     * @param id the message id
     * @param name the question's name, dotted
     * @param type the question's type (1 A, 28 AAAA)
     * @param edns whether to add an OPT record, as dig does
     * @return the query's bytes
     */
    public static byte[] query(int id, String name, int type, boolean edns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        short16(out, id);
        short16(out, 0x0100); // RD
        short16(out, 1);
        short16(out, 0);
        short16(out, 0);
        short16(out, edns ? 1 : 0);
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                out.write(bytes.length);
                out.writeBytes(bytes);
            }
        }
        out.write(0);
        short16(out, type);
        short16(out, 1);
        if (edns) {
            out.write(0);
            short16(out, 41);
            short16(out, 4096);
            out.writeBytes(new byte[] {0, 0, 0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    /**
     * @param response a response's bytes
     * @return its response code
     */
    public static int rcode(byte[] response) {
        return response[3] & 0xF;
    }

    /**
     * @param response a response's bytes
     * @return how many answers it has
     */
    public static int answers(byte[] response) {
        return ByteBuffer.wrap(response).getShort(6) & 0xFFFF;
    }

    /**
     * @param response a response to a query for a name written in full (no pointers in the question)
     * @return the address records' data, in order
     */
    public static java.util.List<byte[]> addresses(byte[] response) {
        ByteBuffer b = ByteBuffer.wrap(response);
        int at = 12;
        while (response[at] != 0) {
            at += 1 + (response[at] & 0xFF);
        }
        at += 5;
        java.util.List<byte[]> found = new java.util.ArrayList<>();
        for (int i = 0; i < answers(response); i++) {
            at += 2; // the name's pointer
            int length = b.getShort(at + 8) & 0xFFFF;
            byte[] data = new byte[length];
            b.get(at + 10, data);
            found.add(data);
            at += 10 + length;
        }
        return found;
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }
}
