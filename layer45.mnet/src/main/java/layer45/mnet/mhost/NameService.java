package layer45.mnet.mhost;

import java.nio.ByteBuffer;
import layer45.mnet.HostIdentifier;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.wire.DnsCheck;
import layer45.mnet.wire.DnsPacket;
import layer45.mnet.wire.DnsResponse;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.ReverseName;

/**
 * The stack's own DNS for host identifiers: it answers A and AAAA questions for an identifier's name, bare
 * ({@code srv}) or in the table's domain ({@code srv.mhost}), with the identifier's virtual addresses, and says
 * NXDOMAIN for other names in the domain. It answers reverse lookups (PTR) of the virtual addresses with
 * {@code NAME.<domain>}, and NXDOMAIN for a virtual address no identifier has. Every other query goes to the upstream
 * resolver as it is.
 *
 * <p>One per flow (it keeps a view and a writer); the counters are the relay's, shared by its flows.
 */
public final class NameService {

    /** What became of a query. */
    public enum Outcome {
        /** Answered: the response is in the output buffer. */
        ANSWERED,
        /** Not the table's: send the query upstream as it is. */
        UPSTREAM
    }

    /** The longest name a PTR record carries; a longer {@code NAME.domain} is answered with the bare name. */
    private static final int MAX_PTR_NAME = 253;

    private final HostTable table;
    private final Counters counters;
    private final DnsPacket query = new DnsPacket();
    private final DnsResponse response = new DnsResponse();
    private final StringBuilder name = new StringBuilder(DnsPacket.MAX_NAME);
    private boolean lastValid;

    /**
     * @param table the identifiers
     * @param counters the relay's counters
     */
    public NameService(HostTable table, Counters counters) {
        this.table = table;
        this.counters = counters;
    }

    /**
     * Answers a query if it is the table's.
     *
     * @param message the query, from position to limit; not moved
     * @param out where the response goes, from its position, with {@link DnsResponse#MAX_LENGTH} bytes of room;
     *        its position is after the response when answered
     * @return whether it was answered or goes upstream
     */
    public Outcome answer(ByteBuffer message, ByteBuffer out) {
        DnsCheck check = query.wrap(message).check();
        lastValid = check == DnsCheck.VALID;
        if (!lastValid) {
            counters.malformed.incrementShared(check);
            return Outcome.UPSTREAM;
        }
        name.setLength(0);
        String qname = query.questionName(name).toString();
        IpAddress reversed = ReverseName.address(qname);
        if (reversed != null) {
            Translation virtual = table.translate(reversed.toInetAddress());
            return virtual == null ? Outcome.UPSTREAM : answerPointer(virtual.identifier(), out);
        }
        HostIdentifier id = table.resolve(qname);
        if (id == null) {
            if (!table.inDomain(qname)) {
                return Outcome.UPSTREAM;
            }
            boolean apex = qname.equals(table.domain());
            counters.events.incrementShared(apex ? DnsEvent.NO_DATA : DnsEvent.NXDOMAIN);
            response.begin(out, query, apex ? DnsResponse.NOERROR : DnsResponse.NXDOMAIN).finish();
            return Outcome.ANSWERED;
        }
        int type = query.questionType();
        int klass = query.questionClass();
        boolean in = klass == DnsPacket.CLASS_IN || klass == DnsPacket.CLASS_ANY;
        int ttl = table.settings().ttlSeconds();
        response.begin(out, query, DnsResponse.NOERROR);
        boolean any = type == DnsPacket.TYPE_ANY;
        boolean a = in && id.virtual4() != null && (type == DnsPacket.TYPE_A || any);
        boolean aaaa = in && id.virtual6() != null && (type == DnsPacket.TYPE_AAAA || any);
        if (a) {
            response.address(ttl, id.virtual4().getAddress());
        }
        if (aaaa) {
            response.address(ttl, id.virtual6().getAddress());
        }
        response.finish();
        counters.events.incrementShared(a || aaaa ? DnsEvent.ANSWERED : DnsEvent.NO_DATA);
        return Outcome.ANSWERED;
    }

    /**
     * Answers a reverse lookup of a virtual address: PTR with the identifier's name in the domain, NXDOMAIN for a
     * virtual address no identifier has.
     */
    private Outcome answerPointer(HostIdentifier id, ByteBuffer out) {
        if (id == null) {
            counters.events.incrementShared(DnsEvent.NXDOMAIN);
            response.begin(out, query, DnsResponse.NXDOMAIN).finish();
            return Outcome.ANSWERED;
        }
        int type = query.questionType();
        int klass = query.questionClass();
        boolean ptr = (klass == DnsPacket.CLASS_IN || klass == DnsPacket.CLASS_ANY)
                && (type == DnsPacket.TYPE_PTR || type == DnsPacket.TYPE_ANY);
        response.begin(out, query, DnsResponse.NOERROR);
        if (ptr) {
            String full = id.name() + "." + table.domain();
            response.pointer(table.settings().ttlSeconds(), full.length() <= MAX_PTR_NAME ? full : id.name());
        }
        response.finish();
        counters.events.incrementShared(ptr ? DnsEvent.ANSWERED : DnsEvent.NO_DATA);
        return Outcome.ANSWERED;
    }

    /**
     * Writes REFUSED for the last query, when it has to go upstream and there is none.
     *
     * @param out where, as for {@link #answer}
     * @return whether a response was written (a query that could not be read is dropped, and counted)
     */
    public boolean refuse(ByteBuffer out) {
        if (!lastValid) {
            counters.events.incrementShared(DnsEvent.DROPPED);
            return false;
        }
        counters.events.incrementShared(DnsEvent.REFUSED);
        response.begin(out, query, DnsResponse.REFUSED).finish();
        return true;
    }

    /**
     * Writes SERVFAIL for the last query, when the upstream resolver could not be reached.
     *
     * @param out where, as for {@link #answer}
     * @return whether a response was written
     */
    public boolean serverFailure(ByteBuffer out) {
        if (!lastValid) {
            counters.events.incrementShared(DnsEvent.DROPPED);
            return false;
        }
        response.begin(out, query, DnsResponse.SERVFAIL).finish();
        return true;
    }

    /** Counts a query relayed upstream. */
    public void relayed() {
        counters.events.incrementShared(DnsEvent.RELAYED);
    }

    /** The name service's counters: by outcome, and the queries it could not read by reason. */
    public static final class Counters {
        final EnumCounters<DnsEvent> events = new EnumCounters<>(DnsEvent.class);
        final EnumCounters<DnsCheck> malformed = new EnumCounters<>(DnsCheck.class);

        /** @return every counter by name: the outcomes, then {@code malformed-<reason>} */
        public java.util.Map<String, Long> snapshot() {
            java.util.Map<String, Long> all = events.snapshot();
            malformed.snapshot().forEach((check, count) -> {
                if (!check.equals("valid")) {
                    all.put("malformed-" + check, count);
                }
            });
            return all;
        }
    }
}
