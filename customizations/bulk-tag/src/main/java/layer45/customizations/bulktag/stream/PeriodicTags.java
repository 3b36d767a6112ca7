package layer45.customizations.bulktag.stream;

import layer45.api.Chunk;
import layer45.api.Output;

/**
 * One direction of one flow, tagged on a {@link TagSchedule}: the per-flow state of a tagger or a stripper.
 *
 * <p>It knows where the stream stands in its period, so tags land (and are expected) every {@code interval} data
 * bytes wherever the stream is cut into chunks. The phase counts bytes into the current period: below the
 * interval it is in the data, from the interval on inside the tag. A tagger writes each tag whole as soon as its
 * interval is complete. A stripper reads a chunk as the stream from the current phase: data bytes it can
 * deliver, tags it checks and skips. Calls for one flow never overlap, so no locking.
 */
public final class PeriodicTags {

    private TagSchedule schedule;
    private int phase;

    /** A flow's state before its first chunk: no schedule yet, at the start of the first period. */
    public PeriodicTags() {
    }

    /** For tests: a stream that has already carried {@code phase} bytes of a period of {@code schedule}. */
    PeriodicTags(TagSchedule schedule, int phase) {
        this.schedule = schedule;
        this.phase = phase;
    }

    /**
     * @param current the module's schedule now
     * @return the schedule of this flow: the one in force when the flow began, kept for its lifetime
     */
    public TagSchedule schedule(TagSchedule current) {
        if (schedule == null) {
            schedule = current;
        }
        return schedule;
    }

    /**
     * Tagger: copies the chunk to the output with a tag after every interval of data bytes, as far as the output
     * takes it.
     *
     * @param source the chunk; bytes that did not fit the output are left unread
     * @param output where the tagged stream goes
     */
    public void insert(Chunk source, Output output) {
        int interval = schedule.interval();
        byte[] tag = schedule.tag();
        while (true) {
            int space = output.maxLength() - output.length();
            if (phase == interval) {
                if (space < tag.length) {
                    return; // the tag is owed: it goes first next time
                }
                output.write(tag);
                phase = 0;
                space -= tag.length;
            }
            int n = Math.min(interval - phase, Math.min(source.remaining(), space));
            if (n == 0) {
                return;
            }
            output.transferFrom(source, n);
            phase += n;
        }
    }

    /**
     * Stripper: checks the tag bytes among the chunk's remaining bytes; the position does not move.
     *
     * @param source the chunk, read from the current phase
     * @return whether every tag byte present is the tag's
     */
    public boolean tagsMatch(Chunk source) {
        int interval = schedule.interval();
        byte[] tag = schedule.tag();
        int period = schedule.period();
        int remaining = source.remaining();
        int at = 0;
        int p = phase;
        while (at < remaining) {
            if (p < interval) {
                int skip = interval - p;
                at += skip;
                p = interval;
                continue;
            }
            int n = Math.min(period - p, remaining - at);
            if (!source.regionMatches(at, tag, p - interval, n)) {
                return false;
            }
            at += n;
            p = 0;
        }
        return true;
    }

    /**
     * @param raw a number of bytes of the stream from the current phase
     * @return how many of them are data bytes
     */
    public int dataIn(int raw) {
        int interval = schedule.interval();
        int period = schedule.period();
        int first = phase < interval ? interval - phase : 0; // data bytes before the next tag
        int toNextPeriod = period - phase;
        if (raw <= toNextPeriod) {
            return Math.min(raw, first);
        }
        int rest = raw - toNextPeriod;
        return first + rest / period * interval + Math.min(rest % period, interval);
    }

    /**
     * @param data a number of data bytes from the current phase, at least 1
     * @return how many bytes of the stream hold them: the tags among and before them included, a tag after the
     *         last one not
     */
    public int rawFor(int data) {
        int interval = schedule.interval();
        int period = schedule.period();
        int lead = phase < interval ? 0 : period - phase; // the rest of a tag the stream is in
        int start = phase < interval ? phase : 0;
        int k = start + data - 1; // the last data byte, counted from the start of its period
        return lead + k / interval * period + k % interval + 1 - start;
    }

    /**
     * @param source the chunk, read from the current phase
     * @param k a data byte's index from the current phase, below {@link #dataIn(int) dataIn(remaining)}
     * @return that data byte
     */
    public byte dataAt(Chunk source, int k) {
        return source.byteAt(rawFor(k + 1) - 1);
    }

    /**
     * Stripper: moves {@code data} data bytes to the output and skips the tags among and before them.
     *
     * @param source the chunk, read from the current phase; holds at least {@link #rawFor(int) rawFor(data)} bytes
     * @param output where the data goes
     * @param data how many data bytes
     */
    public void strip(Chunk source, Output output, int data) {
        int interval = schedule.interval();
        int period = schedule.period();
        for (int left = data; left > 0;) {
            if (phase >= interval) {
                source.advance(period - phase);
                phase = 0;
            }
            int n = Math.min(left, interval - phase);
            output.transferFrom(source, n);
            phase += n;
            left -= n;
        }
    }

    /**
     * Stripper: when only tag bytes remain, skips them if they complete the tag.
     *
     * @param source the chunk, read from the current phase
     * @return whether the rest of the chunk was the whole rest of a tag (now skipped); {@code false} if it is
     *         only part of it (or empty), which stays unread
     */
    public boolean skipCompleteTag(Chunk source) {
        int left = schedule.period() - phase;
        if (phase < schedule.interval() || source.remaining() != left) {
            return false;
        }
        source.advance(left);
        phase = 0;
        return true;
    }

    /** @return bytes of the stream needed to finish the tag the phase is in, 0 in the data */
    public int tagLeft() {
        return phase < schedule.interval() ? 0 : schedule.period() - phase;
    }
}
