package layer45.customizations.dnstag;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The client of the DNS tag pair ({@code demo_dns_client_app_tag}): puts a {@link DnsTag} in front of every DNS
 * query {@code dig} sends. Over UDP the tag goes before the datagram; over TCP before each message inside the stream,
 * whose length is raised by the tag's 20 bytes. Answers pass on to the next module.
 */
@Component(name = "dns-tag-client", service = Customization.class)
@Designate(ocd = DnsTagClient.Config.class)
@CustomizationService(process = "dig", remote_port = "53")
public final class DnsTagClient implements Customization {

    /** The application id, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 DNS tag client", description = "Tag put in front of each DNS query")
    public @interface Config {
        /** @return the application id */
        @AttributeDefinition(name = "Application id",
                description = "Written after XTAG, NUL padded to 16 bytes: at most 16 one-byte characters")
        String application_id() default "dig";
    }

    /** The tag in force; replaced whole, so a message gets either the old tag or the new one. */
    private volatile byte[] tag = new DnsTag("dig").toBytes();

    /** @param config the application id; a new one applies from the next query */
    @Activate
    @Modified
    void configure(Config config) {
        tag = new DnsTag(config.application_id()).toBytes();
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        byte[] tag = this.tag;
        if (!flow.info().transport().isDatagram()) {
            return flow.state(StreamTagger::new).tag(source, output, tag, flow);
        }
        output.write(tag);
        output.transferFrom(source, source.remaining());
        return Verdict.DELIVER;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        return Verdict.TRY_NEXT; // answers are not tagged: another module may want them
    }
}
