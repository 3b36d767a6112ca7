/**
 * The DNS application tag pair of the original Layer 4.5 demo, as a layer45 customization bundle.
 *
 * <p>{@code dns-tag-client} puts a 20-byte {@link layer45.customizations.dnstag.DnsTag} ({@code XTAG} and an
 * application id) in front of each DNS query {@code dig} sends, over UDP and inside DNS over TCP streams;
 * {@code dns-tag-server} strips it at {@code dnsmasq} and drops queries without one. Private: the bundle exports
 * nothing and only registers its customization services; {@code DnsTag} is public for tests and tools that check
 * the wire.
 */
package layer45.customizations.dnstag;
