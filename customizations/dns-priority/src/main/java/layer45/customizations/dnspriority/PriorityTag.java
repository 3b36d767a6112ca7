package layer45.customizations.dnspriority;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Arrays;

import layer45.api.Chunk;

/**
 * The two tags of the priority pairs: {@code XTAGHIGH} or {@code XTAGLOW}, then the application id, NUL padded to
 * {@value #LENGTH} bytes in front of the DNS query. (Read as a dns-tag tag, they are {@code XTAG} with the application
 * id {@code HIGHdig} or {@code LOWdig}.)
 */
public enum PriorityTag {
    /** {@code XTAGHIGH}. */
    HIGH("XTAGHIGH"),
    /** {@code XTAGLOW}. */
    LOW("XTAGLOW");

    /** Bytes of a tag, prefix and padded application id together. */
    public static final int LENGTH = 20;

    private final String prefix;
    private final byte[] prefixBytes;

    PriorityTag(String prefix) {
        this.prefix = prefix;
        this.prefixBytes = prefix.getBytes(US_ASCII);
    }

    /** @return the text a tagged query starts with */
    public String prefix() {
        return prefix;
    }

    /**
     * @param applicationId what follows the prefix: US-ASCII, no NUL, at most {@code 20 - prefix().length()}
     * @return the tag as it goes on the wire
     * @throws IllegalArgumentException if the id does not fit
     */
    public byte[] withApplicationId(String applicationId) {
        if (applicationId.length() > LENGTH - prefix.length() || applicationId.indexOf('\0') >= 0
                || !US_ASCII.newEncoder().canEncode(applicationId)) {
            throw new IllegalArgumentException("application id '" + applicationId + "' does not fit the " + prefix
                    + " tag: use at most " + (LENGTH - prefix.length()) + " US-ASCII characters and no NUL");
        }
        return Arrays.copyOf((prefix + applicationId).getBytes(US_ASCII), LENGTH); // copyOf pads with NULs
    }

    /** @return whether the chunk's remaining bytes start with this tag's prefix; the position does not move */
    boolean starts(Chunk source) {
        return source.startsWith(prefixBytes);
    }
}
