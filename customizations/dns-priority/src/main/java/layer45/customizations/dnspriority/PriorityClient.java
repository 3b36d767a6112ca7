package layer45.customizations.dnspriority;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A client of the priority pairs: puts its {@link PriorityTag} in front of every DNS query datagram. It decides for
 * the chunk, so when both clients are attached to a flow only the first in priority order tags it.
 *
 * <p>Datagrams only, like the originals: a TCP stream (if an operator targets one) and the answers pass on to the
 * next module. The dns-tag bundle tags DNS over TCP.
 */
public abstract class PriorityClient implements Customization {

    /** The application id, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 DNS priority tag client", description = "Tag put in front of each query")
    public @interface Config {
        /** @return the application id */
        @AttributeDefinition(name = "Application id",
                description = "Written after the XTAGHIGH or XTAGLOW prefix, NUL padded to 20 bytes in all")
        String application_id() default "dig";
    }

    private final PriorityTag kind;
    /** The tag in force; replaced whole, so a query gets either the old tag or the new one. */
    private volatile byte[] tag;

    /** @param kind the tag this client puts on queries */
    protected PriorityClient(PriorityTag kind) {
        this.kind = kind;
        this.tag = kind.withApplicationId("dig");
    }

    /** @param config the application id; a new one applies from the next query */
    @Activate
    @Modified
    protected void configure(Config config) {
        tag = kind.withApplicationId(config.application_id());
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        if (!flow.info().transport().isDatagram()) {
            return Verdict.TRY_NEXT;
        }
        output.write(tag);
        output.transferFrom(source, source.remaining());
        return Verdict.DELIVER;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        return Verdict.TRY_NEXT; // answers are not tagged
    }
}
