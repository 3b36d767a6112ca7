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

    /**
     * @param response a response to a PTR query for a name written in full
     * @return the names its records point at, labels joined by '.', without the final dot
     */
    public static java.util.List<String> pointers(byte[] response) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (byte[] data : addresses(response)) {
            StringBuilder name = new StringBuilder();
            for (int at = 0; data[at] != 0; at += 1 + data[at]) {
                name.append(name.isEmpty() ? "" : ".")
                        .append(new String(data, at + 1, data[at], java.nio.charset.StandardCharsets.US_ASCII));
            }
            names.add(name.toString());
        }
        return names;
    }

    /**
     * @param address an address
     * @return its reverse-lookup name: {@code d.c.b.a.in-addr.arpa}, or 32 nibbles and {@code ip6.arpa}
     */
    public static String reverseName(java.net.InetAddress address) {
        byte[] bytes = address.getAddress();
        StringBuilder name = new StringBuilder();
        for (int i = bytes.length - 1; i >= 0; i--) {
            int b = bytes[i] & 0xFF;
            if (bytes.length == 4) {
                name.append(b).append('.');
            } else {
                name.append(Character.forDigit(b & 0xF, 16)).append('.').append(Character.forDigit(b >>> 4, 16))
                        .append('.');
            }
        }
        return name.append(bytes.length == 4 ? "in-addr.arpa" : "ip6.arpa").toString();
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }
}
