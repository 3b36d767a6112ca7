package layer45.api;

/** The layer 4 protocol of a flow. */
public enum Transport {
    /** TCP: a flow is one connection; chunks are pieces of its byte stream in each direction. */
    TCP,
    /** UDP: a flow is one local/remote address pair; each chunk is one datagram. */
    UDP;

    /** @return whether chunks of this transport are whole datagrams rather than pieces of a stream */
    public boolean isDatagram() {
        return this == UDP;
    }
}
