package layer45.customizations.dnstag;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

import org.osgi.service.component.annotations.Component;

/**
 * The server of the DNS tag pair ({@code demo_dns_server_app_tag}): strips the {@link DnsTag} from the queries
 * {@code dnsmasq} receives and drops every query without one, so only tagged clients are answered. A query is never
 * delivered with its tag: one whose tag is cut short is dropped too. Over TCP each message inside the stream is
 * handled this way and its length fixed back. The runtime counts the drops (the module's dropped chunks in
 * {@code modinfo}); the first untagged query of each flow is logged at DEBUG. Answers pass on to the next module.
 */
@Component(name = "dns-tag-server", service = Customization.class)
@CustomizationService(process = "dnsmasq", local_port = "53")
public final class DnsTagServer implements Customization {

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        if (!flow.info().transport().isDatagram()) {
            return flow.state(Stripping::new).strip(source, output, flow);
        }
        boolean tagged = DnsTag.startsWithMagic(source);
        if (tagged && source.remaining() >= DnsTag.LENGTH) {
            source.advance(DnsTag.LENGTH);
            output.transferFrom(source, source.remaining());
            return Verdict.DELIVER;
        }
        if (!tagged) {
            flow.state(Stripping::new).untagged(flow);
        }
        return Verdict.DROP; // untagged, or a tag cut short
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        return Verdict.TRY_NEXT; // answers are not tagged: another module may want them
    }
}
