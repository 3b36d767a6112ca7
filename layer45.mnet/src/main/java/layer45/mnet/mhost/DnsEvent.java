package layer45.mnet.mhost;

/** What the stack's name service counts, besides the queries it could not read ({@link layer45.mnet.wire.DnsCheck}). */
public enum DnsEvent {
    /** Queries for a host identifier answered with its virtual addresses. */
    ANSWERED,
    /** Queries for a host identifier of a type it has no record of (NOERROR, no answer). */
    NO_DATA,
    /** Queries for a name in the table's domain that is no identifier (NXDOMAIN). */
    NXDOMAIN,
    /** Queries for other names, and those it could not read, relayed to the upstream resolver. */
    RELAYED,
    /** Queries for other names refused (REFUSED) because there is no upstream resolver (net.dns is empty). */
    REFUSED,
    /** Queries it could not read and had nowhere to relay: dropped. */
    DROPPED
}
