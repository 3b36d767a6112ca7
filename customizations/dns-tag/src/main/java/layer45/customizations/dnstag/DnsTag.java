package layer45.customizations.dnstag;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

import layer45.api.Chunk;

/**
 * The application tag the DNS tag pair puts in front of each DNS query: the 4-byte magic {@code XTAG} and a 16-byte
 * application id, NUL padded (20 bytes in all, the layout the original's Wireshark dissector decodes). The DNS message
 * follows it unchanged.
 *
 * <p>{@link #parse(ByteBuffer)} is for tests and tools that check the wire: a captured UDP payload, or a DNS over TCP
 * message after its 2-byte length.
 *
 * @param applicationId the application id: at most {@value #ID_LENGTH} characters, each one byte (Latin-1), no NUL
 */
public record DnsTag(String applicationId) {

    /** The magic every tag starts with. */
    public static final String MAGIC = "XTAG";
    /** Bytes of the application id field. */
    public static final int ID_LENGTH = 16;
    /** Bytes of a whole tag. */
    public static final int LENGTH = 4 + ID_LENGTH;

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(ISO_8859_1);

    /** Checks that the id fits the 16-byte field and that a NUL cannot cut it short. */
    public DnsTag {
        if (applicationId.length() > ID_LENGTH || applicationId.indexOf('\0') >= 0
                || !ISO_8859_1.newEncoder().canEncode(applicationId)) {
            throw new IllegalArgumentException("application id '" + applicationId + "' does not fit a DNS tag: use at"
                    + " most " + ID_LENGTH + " one-byte (Latin-1) characters and no NUL");
        }
    }

    /** @return the tag as it goes on the wire: {@code XTAG}, the id, NULs up to {@value #LENGTH} bytes */
    public byte[] toBytes() {
        byte[] tag = Arrays.copyOf(MAGIC_BYTES, LENGTH);
        byte[] id = applicationId.getBytes(ISO_8859_1);
        System.arraycopy(id, 0, tag, MAGIC_BYTES.length, id.length);
        return tag;
    }

    /**
     * Reads the tag at the start of a payload.
     *
     * @param payload a UDP payload, or a DNS over TCP message after its length; read from its position, which does not
     *        move
     * @return the tag, or empty if the payload does not start with one (no {@code XTAG}, or fewer than
     *         {@value #LENGTH} bytes); the DNS message starts {@value #LENGTH} bytes after the position
     */
    public static Optional<DnsTag> parse(ByteBuffer payload) {
        int start = payload.position();
        if (payload.remaining() < LENGTH
                || !payload.slice(start, MAGIC_BYTES.length).equals(ByteBuffer.wrap(MAGIC_BYTES))) {
            return Optional.empty();
        }
        int idStart = start + MAGIC_BYTES.length;
        int idEnd = idStart;
        while (idEnd < start + LENGTH && payload.get(idEnd) != 0) {
            idEnd++;
        }
        byte[] id = new byte[idEnd - idStart];
        payload.get(idStart, id);
        return Optional.of(new DnsTag(new String(id, ISO_8859_1)));
    }

    /** @return whether the chunk's remaining bytes start with the magic; the position does not move */
    static boolean startsWithMagic(Chunk source) {
        return source.startsWith(MAGIC_BYTES);
    }
}
