package layer45.customizations.bulktag.stream;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Where tags go in a stream: after every {@code interval} data bytes, the {@code tag}. The stream on the wire is a
 * repetition of one period, {@code interval} data bytes then the tag.
 *
 * @param tag the tag's bytes, never empty
 * @param interval data bytes between two tags, at least 1
 */
public record TagSchedule(byte[] tag, int interval) {

    /** The longest tag accepted: a tag must stay small beside the data it marks. */
    public static final int MAX_TAG = 1024;

    /** Checks the values. */
    public TagSchedule {
        if (tag.length == 0 || tag.length > MAX_TAG || interval < 1) {
            throw new IllegalArgumentException("tag schedule: the tag must be 1 to " + MAX_TAG + " bytes and the"
                    + " interval at least 1, not " + tag.length + " bytes every " + interval);
        }
    }

    /**
     * @param tag the tag as US-ASCII text
     * @param interval data bytes between two tags
     * @return the schedule
     * @throws IllegalArgumentException naming the parameter to fix
     */
    public static TagSchedule of(String tag, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("periodic tag: interval=" + interval + " is not a byte count; set"
                    + " interval to 1 or more, such as interval=1000");
        }
        if (tag.isEmpty() || tag.length() > MAX_TAG || !US_ASCII.newEncoder().canEncode(tag)) {
            throw new IllegalArgumentException("periodic tag: tag='" + tag + "' must be 1 to " + MAX_TAG
                    + " US-ASCII characters");
        }
        return new TagSchedule(tag.getBytes(US_ASCII), interval);
    }

    /** @return bytes in one period: the interval and the tag */
    public int period() {
        return interval + tag.length;
    }
}
