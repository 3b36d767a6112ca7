package layer45.customizations.bulktag.stream;

import layer45.api.Customization;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A module that tags a stream on a {@link TagSchedule}, configured with the tag and its interval.
 *
 * <p>Each flow keeps its position in {@link layer45.api.Flow#state} ({@link PeriodicTags}) and the schedule it
 * began with; a new configuration applies to new flows. The original kept the position in module globals, reset
 * when the port changed, so two connections at once corrupted each other.
 */
public abstract class TaggingModule implements Customization {

    /** The tag and its interval, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 periodic tag", description = "A tag every N bytes of a stream")
    public @interface Config {
        /** @return data bytes between two tags */
        @AttributeDefinition(name = "Interval", description = "Stream bytes between two tags, at least 1")
        int interval() default 1000;

        /** @return the tag */
        @AttributeDefinition(name = "Tag", description = "US-ASCII text inserted after every interval, the same"
                + " on both ends")
        String tag() default DEFAULT_TAG;
    }

    /** The original's 32-byte tag. */
    public static final String DEFAULT_TAG = "XTAGTAGTAGTAGTAGTAGTAGTAGTAGTAGX";

    /** Linux {@code EPROTO}, the error code of a stream whose tags or framing are wrong. */
    protected static final int EPROTO = 71;

    /** The schedule in force; replaced whole when the configuration changes. */
    private volatile TagSchedule schedule = TagSchedule.of(DEFAULT_TAG, 1000);

    /** @param config the tag and interval */
    @Activate
    @Modified
    public void configure(Config config) {
        schedule = TagSchedule.of(config.tag(), config.interval());
    }

    /**
     * @param tags a flow's position
     * @return the same position, with the schedule of flows that begin now if it had none
     */
    protected PeriodicTags started(PeriodicTags tags) {
        tags.schedule(schedule);
        return tags;
    }
}
