package layer45.customizations.bulktag;

import layer45.api.Customization;
import layer45.customizations.bulktag.stream.TagSchedule;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The bulk tag pair's shared configuration: which tag, and how many stream bytes between two tags.
 *
 * <p>The original kept each connection's position in module globals, reset when the port changed, so two
 * downloads at once corrupted each other. Here each flow keeps its own position in {@link layer45.api.Flow#state},
 * and the schedule it began with.
 */
public abstract class BulkTag implements Customization {

    /** The tag and its interval, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 bulk tag", description = "A tag every N bytes of a bulk stream")
    public @interface Config {
        /** @return data bytes between two tags */
        @AttributeDefinition(name = "Interval", description = "Stream bytes between two tags, at least 1")
        int interval() default 1000;

        /** @return the tag */
        @AttributeDefinition(name = "Tag", description = "US-ASCII text inserted after every interval")
        String tag() default DEFAULT_TAG;
    }

    /** The original's 32-byte tag. */
    public static final String DEFAULT_TAG = "XTAGTAGTAGTAGTAGTAGTAGTAGTAGTAGX";

    /** Linux {@code EPROTO}, the error code of a stream whose tags are wrong. */
    protected static final int EPROTO = 71;

    /** The schedule in force; replaced whole when the configuration changes. */
    private volatile TagSchedule schedule = TagSchedule.of("bulk-tag", DEFAULT_TAG, 1000);

    /** @param config the tag and interval */
    @Activate
    @Modified
    protected void configure(Config config) {
        schedule = TagSchedule.of("bulk-tag", config.tag(), config.interval());
    }

    /** @return the schedule for flows that begin now */
    protected TagSchedule schedule() {
        return schedule;
    }
}
