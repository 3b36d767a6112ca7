package layer45.customizations.bulktag.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The period arithmetic against a stream laid out byte by byte, from every phase. */
class PeriodicTagsTest {

    @Test
    void dataCountsAndRawLengthsMatchTheStreamLaidOutByteByByte() {
        for (int interval = 1; interval <= 6; interval++) {
            for (int tagLength = 1; tagLength <= 4; tagLength++) {
                TagSchedule schedule = new TagSchedule(new byte[tagLength], interval);
                for (int phase = 0; phase < schedule.period(); phase++) {
                    PeriodicTags tags = new PeriodicTags(schedule, phase);
                    String where = "interval " + interval + ", tag " + tagLength + ", phase " + phase;
                    assertEquals(phase < interval ? 0 : schedule.period() - phase, tags.tagLeft(), where);
                    int data = 0;
                    for (int raw = 1; raw <= 4 * schedule.period(); raw++) {
                        if ((phase + raw - 1) % schedule.period() < interval) {
                            data++;
                            assertEquals(raw, tags.rawFor(data), where + ", data byte " + data);
                        }
                        assertEquals(data, tags.dataIn(raw), where + ", raw " + raw);
                    }
                }
            }
        }
    }
}
