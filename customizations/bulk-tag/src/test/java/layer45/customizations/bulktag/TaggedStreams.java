package layer45.customizations.bulktag;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.util.Random;

import layer45.customizations.bulktag.stream.TaggingModule;

import layer45.customizations.bulktag.stream.TagSchedule;

/** What the tests compare with: a stream tagged by hand, and configurations. */
final class TaggedStreams {

    private TaggedStreams() {
    }

    /** @return {@code data} with the tag after every interval, as the sender must produce it */
    static byte[] tagged(byte[] data, TagSchedule schedule) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < data.length; at += schedule.interval()) {
            int n = Math.min(schedule.interval(), data.length - at);
            out.write(data, at, n);
            if (n == schedule.interval()) {
                out.writeBytes(schedule.tag());
            }
        }
        return out.toByteArray();
    }

    static byte[] random(Random random, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    static TaggingModule.Config config(String tag, int interval) {
        return new TaggingModule.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TaggingModule.Config.class;
            }

            @Override
            public int interval() {
                return interval;
            }

            @Override
            public String tag() {
                return tag;
            }
        };
    }
}
