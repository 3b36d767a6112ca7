package layer45.customizations.dnstag;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;

/** DNS messages to send through the tag modules, as dig writes them. Shared with dns-priority's tests (test-jar). */
public final class DnsMessages {

    private DnsMessages() {
    }

    /**
     * @param id the query id
     * @param name the name asked for, such as {@code www.example.com}
     * @return a DNS query for its A record, with recursion desired
     */
    public static byte[] query(int id, String name) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] { (byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 });
        for (String label : name.split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes(US_ASCII));
        }
        q.writeBytes(new byte[] { 0, 0, 1, 0, 1 });
        return q.toByteArray();
    }

    /** @return the messages as a DNS over TCP stream: each after its length in 2 bytes */
    static byte[] stream(byte[]... messages) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            s.write(m.length >> 8);
            s.write(m.length);
            s.writeBytes(m);
        }
        return s.toByteArray();
    }

    /** @return the tag and the message, as the client puts them on the wire */
    static byte[] tagged(String applicationId, byte[] message) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(new DnsTag(applicationId).toBytes());
        t.writeBytes(message);
        return t.toByteArray();
    }
}
