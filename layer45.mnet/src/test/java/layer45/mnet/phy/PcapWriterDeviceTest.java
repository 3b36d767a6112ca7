package layer45.mnet.phy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import layer45.mnet.time.ManualClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A capture of both directions of a memory link, read back with a minimal reader and, if present, tshark. */
@Timeout(120)
class PcapWriterDeviceTest {

    private static final Instant ORIGIN = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private static final long ORIGIN_NANOS = ORIGIN.getEpochSecond() * 1_000_000_000L + ORIGIN.getNano();

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(1_000);
    private final MemoryLink link = MemoryLink.create(new MemoryLinkOptions("pcap", 1500, 16), clock);

    @AfterEach
    void close() {
        link.close();
    }

    private static boolean send(Device device, int protocol, byte[] bytes) {
        return device.transmit(protocol, bytes.length, buffer -> buffer.put(bytes));
    }

    private static byte[] receive(Device device) {
        List<byte[]> into = new ArrayList<>();
        assertTrue(device.receive((protocol, packet) -> {
            byte[] bytes = new byte[packet.remaining()];
            packet.get(bytes);
            into.add(bytes);
        }));
        return into.get(0);
    }

    private static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends four IP packets both ways through a captured end; returns them in capture order. */
    private List<byte[]> exchange(PcapWriterDevice captured) {
        List<byte[]> sent = List.of(
                TestPackets.ipv4Udp(50000, 50001, payload("request over IPv4")),
                TestPackets.ipv6Udp(50001, 50000, payload("reply over IPv6, a little longer")),
                TestPackets.ipv6Udp(50002, 50003, payload("odd")),
                TestPackets.ipv4Udp(50003, 50002, payload("")));
        assertTrue(send(captured, LinkProtocol.IPV4, sent.get(0)));
        assertArrayEquals(sent.get(0), receive(link.b()));
        clock.advance(1, TimeUnit.MILLISECONDS);
        assertTrue(send(link.b(), LinkProtocol.IPV6, sent.get(1)));
        assertArrayEquals(sent.get(1), receive(captured));
        clock.advance(1_500, TimeUnit.MICROSECONDS);
        assertTrue(send(captured, LinkProtocol.IPV6, sent.get(2)));
        clock.advance(1, TimeUnit.NANOSECONDS);
        assertTrue(send(link.b(), LinkProtocol.IPV4, sent.get(3)));
        assertArrayEquals(sent.get(3), receive(captured));
        return sent;
    }

    @Test
    void bothDirectionsAreWrittenAsClassicPcapWithNanosecondTimestamps() throws IOException {
        Path file = directory.resolve("both.pcap");
        List<byte[]> sent;
        try (PcapWriterDevice captured = PcapWriterDevice.wrap(link.a(), file, clock, ORIGIN)) {
            sent = exchange(captured);
            assertEquals(2, captured.counters().get(PcapEvent.TX_CAPTURED));
            assertEquals(2, captured.counters().get(PcapEvent.RX_CAPTURED));
            assertEquals(0, captured.counters().get(PcapEvent.NON_IP_CAPTURED));
        }

        PcapReader pcap = PcapReader.read(file);
        assertEquals(new PcapReader.Header(ByteOrder.LITTLE_ENDIAN, true, 2, 4, 0, 0, 1500, 101), pcap.header);
        assertEquals(4, pcap.packets.size());
        long[] offsets = { 0, 1_000_000, 2_500_000, 2_500_001 };
        for (int i = 0; i < 4; i++) {
            PcapReader.Packet packet = pcap.packets.get(i);
            assertEquals(ORIGIN_NANOS + offsets[i], packet.epochNanos(), "record " + i);
            assertEquals(sent.get(i).length, packet.capturedLength());
            assertEquals(sent.get(i).length, packet.originalLength());
            assertArrayEquals(sent.get(i), packet.data());
        }
        assertTshark(file, List.of("raw:ip:udp:data", "raw:ipv6:udp:data", "raw:ipv6:udp:data", "raw:ip:udp"));
    }

    @Test
    void withoutAnOriginTimestampsStartAtTheWallClockAndIncrease() throws IOException {
        Path file = directory.resolve("now.pcap");
        long before = System.currentTimeMillis() * 1_000_000;
        try (PcapWriterDevice captured = PcapWriterDevice.wrap(link.a(), file, clock)) {
            exchange(captured);
        }
        long after = System.currentTimeMillis() * 1_000_000 + 1_000_000;
        List<PcapReader.Packet> packets = PcapReader.read(file).packets;
        assertTrue(packets.get(0).epochNanos() >= before && packets.get(0).epochNanos() <= after);
        for (int i = 1; i < packets.size(); i++) {
            assertTrue(packets.get(i).epochNanos() > packets.get(i - 1).epochNanos(), "timestamps increase");
        }
    }

    @Test
    void flushMakesRecordsVisibleBeforeClose() throws IOException {
        Path file = directory.resolve("flush.pcap");
        try (PcapWriterDevice captured = PcapWriterDevice.wrap(link.a(), file, clock, ORIGIN)) {
            assertEquals(0, PcapReader.read(file).packets.size(), "the header is written at once");
            send(captured, LinkProtocol.IPV4, TestPackets.ipv4Udp(1, 2, payload("x")));
            captured.flush();
            assertEquals(1, PcapReader.read(file).packets.size());
        }
    }

    @Test
    void packetsOfOtherLinkProtocolsAreWrittenAndCounted() throws IOException {
        Path file = directory.resolve("custom.pcap");
        byte[] custom = { (byte) 0xC5, 1, 2, 3, 4, 5, 6, 7 };
        try (PcapWriterDevice captured = PcapWriterDevice.wrap(link.a(), file, clock, ORIGIN)) {
            send(captured, LinkProtocol.EXPERIMENTAL_1, custom);
            assertEquals(1, captured.counters().get(PcapEvent.NON_IP_CAPTURED));
        }
        assertArrayEquals(custom, PcapReader.read(file).packets.get(0).data());
    }

    @Test
    void manyPacketsAcrossBufferFlushesArriveWhole() throws IOException {
        Path file = directory.resolve("many.pcap");
        int count = 2_000;
        try (PcapWriterDevice captured = PcapWriterDevice.wrap(link.a(), file, clock, ORIGIN)) {
            for (int i = 0; i < count; i++) {
                send(captured, LinkProtocol.IPV6, TestPackets.ipv6Udp(i, 9, new byte[i % 1400]));
                link.b().receive((protocol, packet) -> { });
                clock.advance(10, TimeUnit.MICROSECONDS);
            }
        }
        List<PcapReader.Packet> packets = PcapReader.read(file).packets;
        assertEquals(count, packets.size());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(TestPackets.ipv6Udp(i, 9, new byte[i % 1400]), packets.get(i).data());
        }
    }

    @Test
    void anIoErrorStopsTheCaptureButNotTheDevice() throws IOException {
        Path file = directory.resolve("failing.pcap");
        WritableByteChannel failing = new FailingChannel(FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), PcapWriterDevice.FILE_HEADER_LENGTH);
        try (PcapWriterDevice captured = PcapWriterDevice.wrap(link.a(), file, clock, ORIGIN, failing)) {
            assertTrue(send(captured, LinkProtocol.IPV4, TestPackets.ipv4Udp(1, 2, payload("buffered"))));
            captured.flush(); // fails: capture stops with one log line
            assertFalse(captured.capturing());
            assertFalse(failing.isOpen(), "the file is closed");
            assertTrue(send(captured, LinkProtocol.IPV4, TestPackets.ipv4Udp(1, 2, payload("still sent"))));
            assertTrue(send(link.b(), LinkProtocol.IPV4, TestPackets.ipv4Udp(2, 1, payload("still received"))));
            receive(captured);
            assertEquals(2, captured.counters().get(PcapEvent.NOT_CAPTURED));
            assertEquals(2, link.a().counters().get(MemoryLinkEvent.TX_PACKETS));
            assertEquals(1, link.a().counters().get(MemoryLinkEvent.RX_PACKETS));
        }
        assertEquals(0, PcapReader.read(file).packets.size());
    }

    @Test
    void aFileThatCannotBeCreatedIsReportedAtOnce() {
        Path missing = directory.resolve("no/such/dir/x.pcap");
        UncheckedIOException failure = assertThrows(UncheckedIOException.class,
                () -> PcapWriterDevice.wrap(link.a(), missing, clock));
        assertTrue(failure.getMessage().contains(missing.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("memory pcap a"), failure.getMessage());
    }

    @Test
    void closeClosesTheInnerDevice() {
        PcapWriterDevice captured = PcapWriterDevice.wrap(link.a(), directory.resolve("close.pcap"), clock);
        captured.close();
        assertTrue(link.isClosed());
        assertFalse(captured.capturing());
        captured.close(); // idempotent
    }

    @Test
    void theChecksumHelperMatchesAKnownHeader() {
        // A common worked example: this IPv4 header's checksum is 0xB861.
        byte[] header = ByteBuffer.allocate(20).putInt(0x45000073).putInt(0x00004000).putInt(0x40110000)
                .putInt(0xC0A80001).putInt(0xC0A800C7).array();
        assertEquals(0xB861, TestPackets.checksum(header, 0, 20, 0));
    }

    // ---- tshark

    /**
     * Decodes {@code file} with tshark, checksums verified, and asserts each frame's protocol stack and that no frame
     * has expert info (malformed packet, bad checksum). Skipped when tshark is not installed.
     */
    private void assertTshark(Path file, List<String> protocols) throws IOException {
        Path tshark = onPath("tshark");
        Assumptions.assumeTrue(tshark != null, "tshark not installed: the capture was checked by PcapReader only");
        Path output = directory.resolve("tshark.txt");
        Process process = new ProcessBuilder(tshark.toString(), "-n", "-r", file.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "frame.protocols",
                "-e", "_ws.expert.message")
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark finished within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for tshark", e);
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), "tshark exit status");
        List<String> lines = Files.readAllLines(output);
        assertEquals(protocols.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < protocols.size(); i++) {
            String[] fields = lines.get(i).split("\\|", -1);
            assertEquals(String.valueOf(i + 1), fields[0]);
            assertEquals(protocols.get(i), fields[1], "frame " + (i + 1) + ": " + lines.get(i));
            assertEquals("", fields[2], "frame " + (i + 1) + " has no expert info: " + lines.get(i));
        }
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A channel that writes its first {@code limit} bytes and then fails like a full disk. */
    private static final class FailingChannel implements WritableByteChannel {
        private final FileChannel file;
        private long left;

        FailingChannel(FileChannel file, long limit) {
            this.file = file;
            this.left = limit;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            if (left <= 0) {
                throw new IOException("No space left on device");
            }
            int before = source.limit();
            source.limit((int) Math.min(before, source.position() + left));
            try {
                int written = file.write(source);
                left -= written;
                return written;
            } finally {
                source.limit(before);
            }
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
