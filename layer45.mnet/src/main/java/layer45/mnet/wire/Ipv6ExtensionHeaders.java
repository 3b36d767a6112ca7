package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable walker over the extension headers of an IPv6 packet (RFC 8200, section 4), finding the upper-layer
 * header without allocating.
 *
 * <p>Rules, as a host applies them:
 * <ul>
 * <li>Hop-by-Hop Options only directly after the IPv6 header ({@link WireCheck#HOP_BY_HOP_NOT_FIRST}, Parameter
 * Problem code 1 at the Next Header field naming it).</li>
 * <li>Hop-by-Hop and Destination Options are walked option by option: Pad1 and PadN are skipped, the TLVs must fill
 * the header exactly ({@link WireCheck#BAD_OPTIONS}); an unknown option whose type's two high-order bits are 00 is
 * skipped, any other ends the walk with {@link WireCheck#UNRECOGNIZED_OPTION} (code 2 at the option type; see
 * {@link #unrecognizedOptionAction()} for whether to answer). A Jumbo Payload option (RFC 2675) in a packet with a
 * non-zero payload length gives {@link WireCheck#BAD_LENGTH} (code 0 at the option type).</li>
 * <li>Routing headers with segments left 0 are skipped; with segments left, every routing type is one this host
 * does not process: {@link WireCheck#BAD_EXTENSION_HEADER}, code 0 at the Routing Type field.</li>
 * <li>Authentication Header (RFC 4302) is skipped by its length, {@code (payload length + 2) * 4}.</li>
 * <li>Fragment header: a fragment (offset or More Fragments non-zero) ends the walk, the upper protocol being the
 * fragment header's Next Header and the upper bytes the fragment data; an atomic fragment (RFC 6946: offset 0,
 * M = 0) is walked through. A non-last fragment whose data is not a multiple of 8 bytes, or one ending past 65535,
 * gives {@link WireCheck#BAD_FRAGMENT}.</li>
 * <li>At most {@value #MAX_EXTENSION_HEADERS} extension headers ({@link WireCheck#TOO_MANY_EXTENSION_HEADERS}).</li>
 * <li>Any other Next Header value is the upper layer, ESP included; No Next Header (59) is the upper layer with no
 * bytes.</li>
 * </ul>
 *
 * <p>The packet must have passed {@link Ipv6Packet#check()} or {@link Ipv6Packet#checkQuoted()}; the walk reads no
 * byte past {@code 40 + availablePayloadLength()}.
 */
public final class Ipv6ExtensionHeaders {

    /** The most extension headers accepted in one packet. */
    public static final int MAX_EXTENSION_HEADERS = 8;
    /** The Jumbo Payload option type (RFC 2675). */
    public static final int OPTION_JUMBO_PAYLOAD = 0xC2;
    /** The Pad1 option type (RFC 8200, section 4.2). */
    public static final int OPTION_PAD1 = 0;
    /** The PadN option type (RFC 8200, section 4.2). */
    public static final int OPTION_PADN = 1;
    private static final int ERRONEOUS_HEADER_FIELD = Icmpv6Type.ERRONEOUS_HEADER_FIELD;
    private static final int UNRECOGNIZED_NEXT_HEADER = Icmpv6Type.UNRECOGNIZED_NEXT_HEADER;
    private static final int UNRECOGNIZED_IPV6_OPTION = Icmpv6Type.UNRECOGNIZED_OPTION;
    private static final int FRAGMENT_HEADER_LENGTH = 8;

    private int upperProtocol;
    private int upperOffset;
    private int upperLength;
    private int upperProtocolField;
    private int headerCount;
    private int fragmentHeaderOffset;
    private int fragmentNextHeaderField;
    private int fragmentOffset;
    private boolean moreFragments;
    private int fragmentId;
    private int problemPointer;
    private int problemCode;
    private int optionAction;

    /** Creates a walker; reuse it for every packet. */
    public Ipv6ExtensionHeaders() {
        reset();
    }

    private void reset() {
        upperProtocol = -1;
        upperOffset = -1;
        upperLength = 0;
        upperProtocolField = -1;
        headerCount = 0;
        fragmentHeaderOffset = -1;
        fragmentNextHeaderField = -1;
        fragmentOffset = 0;
        moreFragments = false;
        fragmentId = 0;
        problemPointer = -1;
        problemCode = -1;
        optionAction = -1;
    }

    /**
     * Walks the extension headers of a checked packet.
     *
     * @param p a packet that passed {@link Ipv6Packet#check()} (or {@link Ipv6Packet#checkQuoted()})
     * @return {@link WireCheck#VALID} with the upper layer found, or why the packet must be dropped; the
     *         accessors below describe the last walk
     */
    public WireCheck walk(Ipv6Packet p) {
        reset();
        ByteBuffer b = p.buffer();
        int base = p.offset();
        int end = p.payloadOffset() + p.availablePayloadLength();
        int next = p.nextHeader();
        int nhField = base + 6;
        int at = p.payloadOffset();
        while (true) {
            int hlen;
            switch (next) {
                case IpProtocol.HOPOPT, IpProtocol.IPV6_OPTS -> {
                    if (next == IpProtocol.HOPOPT && headerCount != 0) {
                        return problem(WireCheck.HOP_BY_HOP_NOT_FIRST, nhField - base, UNRECOGNIZED_NEXT_HEADER);
                    }
                    if (headerCount == MAX_EXTENSION_HEADERS) {
                        return WireCheck.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (end - at < 2) {
                        return WireCheck.BAD_EXTENSION_HEADER;
                    }
                    hlen = ((b.get(at + 1) & 0xFF) + 1) << 3;
                    if (end - at < hlen) {
                        return WireCheck.BAD_EXTENSION_HEADER;
                    }
                    WireCheck options = walkOptions(b, base, at + 2, at + hlen, next == IpProtocol.HOPOPT);
                    if (options != WireCheck.VALID) {
                        return options;
                    }
                }
                case IpProtocol.IPV6_ROUTE -> {
                    if (headerCount == MAX_EXTENSION_HEADERS) {
                        return WireCheck.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (end - at < 4) {
                        return WireCheck.BAD_EXTENSION_HEADER;
                    }
                    hlen = ((b.get(at + 1) & 0xFF) + 1) << 3;
                    if (end - at < hlen) {
                        return WireCheck.BAD_EXTENSION_HEADER;
                    }
                    if (b.get(at + 3) != 0) {
                        return problem(WireCheck.BAD_EXTENSION_HEADER, at + 2 - base, ERRONEOUS_HEADER_FIELD);
                    }
                }
                case IpProtocol.IPV6_FRAG -> {
                    if (headerCount == MAX_EXTENSION_HEADERS) {
                        return WireCheck.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (end - at < FRAGMENT_HEADER_LENGTH) {
                        return WireCheck.BAD_EXTENSION_HEADER;
                    }
                    hlen = FRAGMENT_HEADER_LENGTH;
                    int offsetAndFlags = b.getShort(at + 2) & 0xFFFF;
                    fragmentHeaderOffset = at;
                    fragmentNextHeaderField = nhField;
                    fragmentOffset = offsetAndFlags & 0xFFF8;
                    moreFragments = (offsetAndFlags & 1) != 0;
                    fragmentId = b.getInt(at + 4);
                    int dataLength = end - at - FRAGMENT_HEADER_LENGTH;
                    if (moreFragments && (dataLength & 7) != 0) {
                        return problem(WireCheck.BAD_FRAGMENT, 4, ERRONEOUS_HEADER_FIELD);
                    }
                    if (fragmentOffset + dataLength > 0xFFFF) {
                        return problem(WireCheck.BAD_FRAGMENT, at + 2 - base, ERRONEOUS_HEADER_FIELD);
                    }
                    if (fragmentOffset != 0 || moreFragments) {
                        headerCount++;
                        return upper(b.get(at) & 0xFF, at, at + hlen, end);
                    }
                }
                case IpProtocol.AH -> {
                    if (headerCount == MAX_EXTENSION_HEADERS) {
                        return WireCheck.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (end - at < 2) {
                        return WireCheck.BAD_EXTENSION_HEADER;
                    }
                    hlen = ((b.get(at + 1) & 0xFF) + 2) << 2;
                    if (end - at < hlen) {
                        return WireCheck.BAD_EXTENSION_HEADER;
                    }
                }
                default -> {
                    return upper(next, nhField, at, end);
                }
            }
            headerCount++;
            nhField = at;
            next = b.get(at) & 0xFF;
            at += hlen;
        }
    }

    private WireCheck upper(int protocol, int field, int at, int end) {
        upperProtocol = protocol;
        upperProtocolField = field;
        upperOffset = at;
        upperLength = protocol == IpProtocol.IPV6_NONXT ? 0 : end - at;
        return WireCheck.VALID;
    }

    private WireCheck walkOptions(ByteBuffer b, int base, int from, int to, boolean hopByHop) {
        int i = from;
        while (i < to) {
            int type = b.get(i) & 0xFF;
            if (type == OPTION_PAD1) {
                i++;
                continue;
            }
            if (to - i < 2 || to - i - 2 < (b.get(i + 1) & 0xFF)) {
                return WireCheck.BAD_OPTIONS;
            }
            if (type == OPTION_JUMBO_PAYLOAD && hopByHop) {
                return problem(WireCheck.BAD_LENGTH, i - base, ERRONEOUS_HEADER_FIELD);
            }
            if (type != OPTION_PADN && type >>> 6 != 0) {
                optionAction = type >>> 6;
                return problem(WireCheck.UNRECOGNIZED_OPTION, i - base, UNRECOGNIZED_IPV6_OPTION);
            }
            i += 2 + (b.get(i + 1) & 0xFF);
        }
        return WireCheck.VALID;
    }

    private WireCheck problem(WireCheck reason, int pointer, int code) {
        problemPointer = pointer;
        problemCode = code;
        return reason;
    }

    /** @return the upper-layer protocol (after a fragment header: the fragmentable part's first header) */
    public int upperProtocol() {
        return upperProtocol;
    }

    /** @return the absolute index of the upper-layer header (or of the fragment data) */
    public int upperOffset() {
        return upperOffset;
    }

    /** @return the upper-layer length in bytes, up to the end of the IPv6 payload; 0 for No Next Header */
    public int upperLength() {
        return upperLength;
    }

    /**
     * @return the absolute index of the Next Header field that names the upper layer, for an ICMPv6 Parameter
     *         Problem (code 1, unrecognized Next Header) when the stack does not handle the upper protocol
     */
    public int upperProtocolFieldOffset() {
        return upperProtocolField;
    }

    /** @return the number of extension headers walked */
    public int headerCount() {
        return headerCount;
    }

    /** @return whether a Fragment header was found (an atomic fragment included) */
    public boolean hasFragmentHeader() {
        return fragmentHeaderOffset >= 0;
    }

    /** @return whether the packet is a fragment to reassemble: a Fragment header with offset or M non-zero */
    public boolean isFragment() {
        return fragmentHeaderOffset >= 0 && (fragmentOffset != 0 || moreFragments);
    }

    /** @return the fragment offset in bytes (the field times 8); 0 without a Fragment header */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** @return the More Fragments flag; false without a Fragment header */
    public boolean moreFragments() {
        return moreFragments;
    }

    /** @return the fragment Identification field; 0 without a Fragment header */
    public int fragmentId() {
        return fragmentId;
    }

    /** @return the absolute index of the Fragment header, or -1 */
    public int fragmentHeaderOffset() {
        return fragmentHeaderOffset;
    }

    /**
     * @return the absolute index of the Next Header field that names the Fragment header (in the IPv6 header or
     *         the previous extension header), which reassembly rewrites; -1 without a Fragment header
     */
    public int fragmentNextHeaderFieldOffset() {
        return fragmentNextHeaderField;
    }

    /**
     * @return the absolute index where the fragmentable part begins, just after the Fragment header (the
     *         per-fragment headers are the bytes before the Fragment header); -1 without one
     */
    public int fragmentablePartOffset() {
        return fragmentHeaderOffset < 0 ? -1 : fragmentHeaderOffset + FRAGMENT_HEADER_LENGTH;
    }

    /**
     * @return for a walk that ended with {@link WireCheck#UNRECOGNIZED_OPTION}, {@link WireCheck#BAD_EXTENSION_HEADER}
     *         (unprocessed routing header), {@link WireCheck#HOP_BY_HOP_NOT_FIRST}, {@link WireCheck#BAD_FRAGMENT} or
     *         {@link WireCheck#BAD_LENGTH} (jumbo option): the offset from the start of the IPv6 header for an
     *         ICMPv6 Parameter Problem; -1 when the drop warrants no ICMPv6 error
     */
    public int problemPointer() {
        return problemPointer;
    }

    /** @return the ICMPv6 Parameter Problem code going with {@link #problemPointer()} (0, 1 or 2), or -1 */
    public int problemCode() {
        return problemCode;
    }

    /**
     * @return after {@link WireCheck#UNRECOGNIZED_OPTION}, the option type's two high-order bits (RFC 8200,
     *         section 4.2): 1 discard silently, 2 discard and send a Parameter Problem, 3 discard and send one only
     *         if the destination was not multicast; -1 otherwise
     */
    public int unrecognizedOptionAction() {
        return optionAction;
    }
}
