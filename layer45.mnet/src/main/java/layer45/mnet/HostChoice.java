package layer45.mnet;

import java.util.Objects;

/**
 * What the stack chose for one flow to a host identifier, and why: the address it uses now and the outcome of
 * every address tried before it.
 *
 * @param identifier the host identifier's name
 * @param transport {@code tcp} or {@code udp}
 * @param namespace the network namespace of the program; empty for the runtime's own
 * @param application the program's endpoint, as {@code address:port}; for a socket of a program in the runtime
 *        ({@link HostSockets}), {@code *:PORT} of a datagram socket, or {@code *} for a connection (its own address
 *        depends on the address chosen)
 * @param peer the endpoint the program addressed, as {@code address:port}: a virtual address, or for a socket of a
 *        program in the runtime the identifier's name and port, such as {@code srv:7}
 * @param chosen the address the flow uses, or {@code null} when none could be used (every address failed, or no
 *        protocol of the identifier is available)
 * @param reason every address tried, in order, with its outcome, such as
 *        {@code "[::1]:8080 no answer within 1000 ms; 127.0.0.1:8080 connected"}
 * @param atMillis when it was chosen, in milliseconds since the epoch
 * @since 1.3
 */
public record HostChoice(String identifier, String transport, String namespace, String application, String peer,
        HostAddress chosen, String reason, long atMillis) {

    /** Checks that the texts are there. */
    public HostChoice {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(reason, "reason");
    }
}
