package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import layer45.api.Initiator;
import layer45.api.Transport;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.service.TcpDiscard;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.testing.Netsim;
import layer45.mnet.testing.RecordingTap;
import layer45.mnet.testing.StreamClient;
import layer45.mnet.testing.TestStack;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Ipv4Address;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every TCP connection is a flow for the customization runtime: the stack on the right runs its services through a
 * {@link RecordingTap}, and the stack on the left is the application. What the application sees is checked byte for
 * byte: rewritten, expanded, aborted, refused.
 */
class TcpCustomizationTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long SERVER = Ipv4Address.parse("10.0.0.2").bits() & 0xFFFF_FFFFL;

    private final ManualClock clock = new ManualClock();
    private final RecordingTap tap = new RecordingTap();
    private TestStack application;
    private TestStack stack;
    private Netsim sim;

    @BeforeEach
    void link() {
        MemoryLink link = MemoryLink.create(new MemoryLinkOptions("sim", 1500, 4096), clock);
        application = new TestStack(link.a(), clock, () -> null, false, "10.0.0.1/24");
        stack = new TestStack(link.b(), clock, () -> tap, false, "10.0.0.2/24");
        stack.tcp().listen(null, 0, 0, true, 7, new TcpEcho(65536));
        stack.tcp().listen(null, 0, 0, true, 9, new TcpDiscard());
        sim = new Netsim(clock, application.iface(), stack.iface());
    }

    private StreamClient run(int port, long bytes) {
        StreamClient client = new StreamClient(bytes, 45);
        application.tcp().connect(application.iface().ipv4(), 0, SERVER, port, client);
        sim.runUntil(() -> client.closedReason() != null, 120 * SECOND);
        sim.runUntil(() -> stack.tcp().connectionCount() == 0, SECOND); // the last ACK reaches the stack
        return client;
    }

    private static byte[] xor(byte[] input) {
        byte[] out = new byte[input.length];
        for (int i = 0; i < input.length; i++) {
            out[i] = (byte) (input[i] ^ 0x45);
        }
        return out;
    }

    @Test
    void aRewritingPairIsInvisibleToTheApplicationAndEachConnectionIsAFlow() {
        tap.customize((direction, input, sink) -> {
            sink.accept(ByteBuffer.wrap(xor(input)));
            return Outcome.CUSTOMIZED;
        });
        StreamClient client = run(7, 1_000_000);
        assertEquals("closed", client.closedReason());
        assertEquals(1_000_000, client.read());
        assertEquals(client.sentDigest(), client.receivedDigest(), "XOR on the way in and on the way out");
        assertEquals(1, tap.flows().size());
        RecordingTap.Flow flow = tap.flows().get(0);
        assertEquals(Transport.TCP, flow.info().transport());
        assertEquals(Initiator.LOCAL, flow.info().initiator(), "the application connected");
        assertEquals("10.0.0.1", flow.info().localAddress().getHostAddress(), "local is the application's side");
        assertEquals(7, flow.info().remotePort());
        assertEquals(1, flow.closeCount(), "the flow is closed with its connection");
        long sent = tap.chunks().stream().filter(c -> c.direction() == Direction.SEND).mapToLong(c -> c.bytes().length)
                .sum();
        assertEquals(1_000_000, sent, "every byte the application sent went through the chain");
    }

    @Test
    void anExpandingModuleIsDeliveredWholeThroughTheWindow() throws Exception {
        tap.customize(Direction.RECV, (direction, input, sink) -> {
            byte[] doubled = new byte[input.length * 2];
            for (int i = 0; i < input.length; i++) {
                doubled[2 * i] = input[i];
                doubled[2 * i + 1] = input[i];
            }
            sink.accept(ByteBuffer.wrap(doubled));
            return Outcome.CUSTOMIZED;
        });
        StreamClient client = run(7, 600_000);
        assertEquals("closed", client.closedReason());
        assertEquals(1_200_000, client.read(), "every byte twice");
        MessageDigest doubled = MessageDigest.getInstance("SHA-256");
        Random random = new Random(45);
        byte[] block = new byte[16384];
        for (long left = 600_000; left > 0; ) {
            int n = (int) Math.min(block.length, left);
            random.nextBytes(block);
            for (int i = 0; i < n; i++) {
                doubled.update(block[i]);
                doubled.update(block[i]);
            }
            left -= n;
        }
        assertEquals(HexFormat.of().formatHex(doubled.digest()), client.receivedDigest());
    }

    @Test
    void aDiscardingUserStillPassesEveryByteThroughTheChain() {
        StreamClient client = run(9, 300_000);
        assertEquals("closed", client.closedReason());
        long sent = tap.chunks().stream().filter(c -> c.direction() == Direction.SEND).mapToLong(c -> c.bytes().length)
                .sum();
        assertEquals(300_000, sent);
    }

    @Test
    void aChunkTheChainAbortsResetsTheConnection() {
        tap.abortReason("module x: refused");
        tap.customize(Direction.SEND, (direction, input, sink) -> Outcome.ABORTED);
        StreamClient client = run(7, 100_000);
        assertEquals("connection reset by peer", client.closedReason());
        assertEquals(1, stack.tcp().events().snapshot().get("connections-aborted"));
        assertEquals(1, tap.flows().get(0).closeCount());
    }

    @Test
    void aConnectionTheRuntimeCannotOpenIsResetNotPassedUncustomized() {
        tap.failOpenWith(new IllegalStateException("runtime stopping"));
        StreamClient client = run(7, 10_000);
        assertEquals("connection reset by peer", client.closedReason());
        assertEquals(1, stack.tcp().events().snapshot().get("tap-failed"));
        assertTrue(tap.chunks().isEmpty());
    }

    @Test
    void theRuntimeAbortsAConnectionFromItsOwnThread() throws Exception {
        tap.customize(RecordingTap.ORIGINAL);
        StreamClient client = new StreamClient(50_000_000, 45); // long enough to be open when the abort comes
        application.tcp().connect(application.iface().ipv4(), 0, SERVER, 7, client);
        sim.runUntil(() -> !tap.flows().isEmpty() && client.read() > 100_000, 60 * SECOND);
        Thread watchdog = new Thread(() -> tap.flows().get(0).control().abort("stuck module"));
        watchdog.start();
        watchdog.join();
        sim.runUntil(() -> client.closedReason() != null, 10 * SECOND);
        assertEquals("connection reset by peer", client.closedReason());
    }
}
