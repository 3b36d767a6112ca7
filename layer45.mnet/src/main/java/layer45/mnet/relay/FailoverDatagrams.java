package layer45.mnet.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import layer45.mnet.HostAddress;
import layer45.mnet.mhost.TranslatedFlow;

/**
 * A UDP flow to a host identifier: a connected host socket to its first usable address ({@link ConnectedDatagrams}),
 * or a path through the stack that carries its plugged-in protocol ({@link PluggedCarrier}), replaced by one to the
 * next address when the host reports the current one unreachable (ICMP destination or port unreachable) or the
 * protocol was unplugged. While the flow has not heard back yet, the datagram the error answered is sent again to the next
 * address, so a request is not lost to the failover. When every address failed, the program hears it (ICMP), and
 * the flow stays on the last.
 */
final class FailoverDatagrams implements HostDatagrams {

    private static final int MAX_DATAGRAM = 65535;

    private final TranslatedFlow flow;
    private final Object lock = new Object();
    private volatile HostDatagrams current;
    private volatile boolean closed;
    /** Whether a datagram came back: from then on the address is known to work, and nothing is kept to resend. */
    private volatile boolean answered;
    // guarded by lock
    private int index;
    private boolean exhausted;
    private ByteBuffer last;

    /** @param flow the flow, with the identifier's usable addresses (at least one) */
    FailoverDatagrams(TranslatedFlow flow) {
        this.flow = flow;
    }

    @Override
    public void open() throws IOException {
        synchronized (lock) {
            current = connect(0);
            flow.chose(address(0), target(0), "first usable address", true);
        }
    }

    @Override
    public void send(ByteBuffer datagram) throws IOException {
        if (!answered) {
            synchronized (lock) {
                if (last == null) {
                    last = ByteBuffer.allocate(MAX_DATAGRAM);
                }
                last.clear().put(0, datagram, datagram.position(), datagram.remaining()).limit(datagram.remaining());
            }
        }
        while (true) {
            HostDatagrams c = current;
            try {
                c.send(datagram);
                return;
            } catch (ClosedChannelException e) {
                if (closed || current == c) {
                    throw e;
                }
                // a failover replaced the socket under us: send on the new one
            } catch (IOException e) {
                if (!HostErrors.datagramUnreachable(e) || !failover(c, e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public boolean receive(ByteBuffer into) throws IOException {
        while (true) {
            HostDatagrams c = current;
            try {
                if (c.receive(into)) {
                    answered = true;
                    return true;
                }
                if (closed || current == c) {
                    return false;
                }
                // a failover replaced the socket under us: wait on the new one
            } catch (IOException e) {
                if (!HostErrors.datagramUnreachable(e) || !failover(c, e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Moves on from a failed socket to the next address, once, whichever thread saw the failure first.
     *
     * @return {@code true} if the flow goes on (on the next address, or another thread moved it already); {@code false}
     *         if there is no address left, and the failure is the program's to hear
     */
    private boolean failover(HostDatagrams failed, IOException e) throws IOException {
        synchronized (lock) {
            if (current != failed) {
                return true;
            }
            String outcome = TranslatedFlow.outcome(e, Duration.ZERO);
            if (index + 1 >= flow.usable().size()) {
                if (!exhausted) {
                    exhausted = true;
                    flow.chose(null, target(index), outcome + "; no address left", true);
                }
                return false;
            }
            flow.failed(target(index), outcome);
            index++;
            HostDatagrams next = connect(index);
            current = next;
            failed.close();
            flow.chose(address(index), target(index), "next address", true);
            if (!answered && last != null && last.hasRemaining()) {
                next.send(last.duplicate());
            }
            return true;
        }
    }

    /** @return the path to an address: a host socket for IPv4 and IPv6, a stack carrying the protocol for others */
    private HostDatagrams connect(int i) throws IOException {
        HostAddress address = address(i);
        boolean ip = address.protocol().equals(HostAddress.IPV4) || address.protocol().equals(HostAddress.IPV6);
        HostDatagrams opened = ip ? new ConnectedDatagrams(target(i)) : PluggedCarrier.reach(flow.table(), address, flow.port());
        opened.open();
        if (closed) {
            opened.close();
            throw new ClosedChannelException();
        }
        return opened;
    }

    private HostAddress address(int i) {
        return flow.usable().get(i);
    }

    private InetSocketAddress target(int i) {
        return address(i).socketAddress(flow.port());
    }

    @Override
    public void close() {
        closed = true;
        HostDatagrams c = current;
        if (c != null) {
            c.close();
        }
        flow.ended();
    }

    @Override
    public String toString() {
        return "host socket to " + flow;
    }
}
