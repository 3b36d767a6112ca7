/**
 * The high/low priority DNS tag pairs of the original Layer 4.5 priority test, as one layer45 customization bundle.
 *
 * <p>The clients put {@code XTAGHIGH} or {@code XTAGLOW} and the application id (20 bytes, NUL padded) in front of
 * the DNS queries {@code dig} sends; the first client in priority order decides, and the high one comes first by
 * default. Each server strips only its own tag and answers {@code TRY_NEXT} for anything else, so both servers can
 * sit on {@code dnsmasq}'s socket and the chain routes each query by its tag. Private: the bundle exports nothing.
 */
package layer45.customizations.dnspriority;
