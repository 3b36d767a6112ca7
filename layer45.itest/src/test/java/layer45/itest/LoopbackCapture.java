package layer45.itest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A capture on the host's loopback, where the relay of one namespace meets the port forward of another: what an
 * operator sees with tshark between two customized programs. {@code dumpcap} captures (at most a given number of
 * packets, so a 100 MB download does not fill the disk) and {@code tshark} reads the payloads back.
 *
 * <p>dumpcap hands packets to its file a fraction of a second after they pass, and loses what it has not handed
 * over when it is stopped. So the capture ends with a marker: a datagram of its own to a port nobody listens on,
 * sent until it shows up in the file; everything captured before it is in the file then.
 */
final class LoopbackCapture implements AutoCloseable {

    /** How long a capture may run at most. */
    private static final long TIMEOUT_SECONDS = 120;

    /** How often the marker is sent, 100 ms apart, before the capture gives up on it: 10 s. */
    private static final int MARKER_ATTEMPTS = 100;

    private final BackgroundProgram dumpcap;
    private final Path file;
    private final int markerPort;
    private final byte[] marker;

    private LoopbackCapture(BackgroundProgram dumpcap, Path file, int markerPort) {
        this.dumpcap = dumpcap;
        this.file = file;
        this.markerPort = markerPort;
        this.marker = ("layer45 capture end " + file.getFileName()).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One TCP segment or UDP datagram with its payload.
     *
     * @param sourcePort where it came from
     * @param destinationPort where it went
     * @param payload its payload, empty for a bare TCP segment
     */
    record Segment(int sourcePort, int destinationPort, byte[] payload) {
    }

    /** @return whether dumpcap and tshark are there */
    static boolean available() {
        return Programs.tool("dumpcap") != null && Programs.tool("tshark") != null;
    }

    /**
     * Starts capturing and waits until dumpcap says it captures.
     *
     * @param directory where the capture file goes
     * @param filter a capture filter, such as {@code udp port 5353}
     * @param maxPackets dumpcap stops after this many packets
     */
    static LoopbackCapture start(Path directory, String filter, int maxPackets)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile(directory, "loopback", ".pcap");
        int markerPort = FreePorts.pick();
        BackgroundProgram dumpcap = BackgroundProgram.start("dumpcap on lo", TIMEOUT_SECONDS, Programs.tool("dumpcap"),
                "-i", "lo", "-B", "16", "-f", "(" + filter + ") or udp dst port " + markerPort, "-P", "-c",
                Integer.toString(maxPackets), "-q", "-w", file.toString());
        for (int attempt = 0; attempt < 100 && !dumpcap.output().contains("Capturing on"); attempt++) {
            if (!dumpcap.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        if (!dumpcap.output().contains("Capturing on")) {
            String output = dumpcap.output();
            dumpcap.close();
            throw new AssertionError("dumpcap did not start capturing on lo within 10 s:\n" + output);
        }
        return new LoopbackCapture(dumpcap, file, markerPort);
    }

    /**
     * Stops capturing (if dumpcap has not stopped after its packets) and reads what was captured.
     *
     * @return the segments with their ports and payloads, in order
     */
    List<Segment> stop() throws IOException, InterruptedException {
        if (dumpcap.isAlive()) {
            awaitMarker();
            dumpcap.stop(10);
        }
        ProcessResult tshark = Programs.onHost(60, Programs.tool("tshark"), "-n", "-r", file.toString(), "-o",
                "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-E", "separator=|", "-e", "tcp.srcport",
                "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "tcp.payload", "-e",
                "udp.payload");
        if (tshark.exitCode() != 0) {
            throw new AssertionError("tshark cannot read the capture " + file + ": " + tshark);
        }
        List<Segment> segments = new ArrayList<>();
        for (String line : tshark.stdout().lines().toList()) {
            String[] f = line.split("\\|", -1);
            boolean tcp = !f[0].isEmpty();
            if (!tcp && Integer.parseInt(f[3]) == markerPort) {
                continue;
            }
            String payload = tcp ? f[4] : f[5];
            segments.add(new Segment(Integer.parseInt(tcp ? f[0] : f[2]), Integer.parseInt(tcp ? f[1] : f[3]),
                    HexFormat.of().parseHex(payload.replace(":", ""))));
        }
        return segments;
    }

    /** Sends the marker until dumpcap has written it, or has ended after its packets. */
    private void awaitMarker() throws IOException, InterruptedException {
        try (DatagramSocket socket = new DatagramSocket()) {
            DatagramPacket packet = new DatagramPacket(marker, marker.length,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), markerPort));
            for (int attempt = 0; attempt < MARKER_ATTEMPTS && dumpcap.isAlive(); attempt++) {
                socket.send(packet);
                Thread.sleep(100);
                if (Bytes.indexOf(Files.readAllBytes(file), marker) >= 0) {
                    return;
                }
            }
        }
        if (dumpcap.isAlive()) {
            throw new AssertionError("dumpcap did not write the capture's end marker within 10 s: "
                    + dumpcap.output());
        }
    }

    /** @return the payloads sent to a port, in order */
    static List<byte[]> payloadsTo(List<Segment> segments, int port) {
        return segments.stream().filter(s -> s.destinationPort() == port && s.payload().length > 0)
                .map(Segment::payload).toList();
    }

    /** @return the payloads sent from a port, in order */
    static List<byte[]> payloadsFrom(List<Segment> segments, int port) {
        return segments.stream().filter(s -> s.sourcePort() == port && s.payload().length > 0)
                .map(Segment::payload).toList();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            dumpcap.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
