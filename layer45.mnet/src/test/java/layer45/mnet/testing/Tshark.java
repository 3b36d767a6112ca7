package layer45.mnet.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a capture with {@code tshark}, IPv4, UDP and TCP checksums verified, and returns each frame's protocols,
 * expert infos and whether it was malformed: what a person checks in Wireshark. A bad checksum is an expert error,
 * a malformed packet sets {@link Frame#malformed()}.
 */
public final class Tshark {

    /** Expert severity of a chat (a SYN, a FIN, a window update: normal traffic). */
    public static final int CHAT = 0x00200000;
    /** Expert severity of a note (a retransmission, a duplicate ACK). */
    public static final int NOTE = 0x00400000;
    /** Expert severity of a warning (a reset, a segment not captured, a full window). */
    public static final int WARNING = 0x00600000;
    /** Expert severity of an error (a bad checksum, a malformed field). */
    public static final int ERROR = 0x00800000;

    private Tshark() {
    }

    /**
     * One frame as tshark decoded it.
     *
     * @param number the frame number
     * @param protocols the protocols, outermost first, as {@code raw:ip:tcp}
     * @param messages the expert infos' messages
     * @param severities their severities, in the same order
     * @param malformed whether tshark found the frame malformed
     * @param line tshark's output line, for failure messages
     */
    public record Frame(String number, String protocols, List<String> messages, List<Integer> severities,
            boolean malformed, String line) {

        /** @return the highest expert severity of the frame, 0 if it has none */
        public int maxSeverity() {
            return severities.stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        /**
         * @param severity a severity
         * @return the messages at that severity or above
         */
        public List<String> messagesAtLeast(int severity) {
            List<String> found = new ArrayList<>();
            for (int i = 0; i < messages.size() && i < severities.size(); i++) {
                if (severities.get(i) >= severity) {
                    found.add(messages.get(i));
                }
            }
            return found;
        }
    }

    /**
     * Decodes a capture.
     *
     * @param capture the pcap file
     * @param directory where to put tshark's output
     * @return the frames, in order
     * @throws AssertionError if tshark does not finish within 60 s or fails
     */
    public static List<Frame> decode(Path capture, Path directory) throws IOException, InterruptedException {
        Path output = Files.createTempFile(directory, "tshark", ".txt");
        Path errors = Files.createTempFile(directory, "tshark", ".err");
        Process tshark = new ProcessBuilder("tshark", "-n", "-r", capture.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=|", "-E", "aggregator=^", "-e", "frame.number",
                "-e", "frame.protocols", "-e", "_ws.expert.message", "-e", "_ws.expert.severity",
                "-e", "_ws.malformed")
                .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        try {
            if (!tshark.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("tshark did not read " + capture + " within 60 s");
            }
        } finally {
            tshark.destroyForcibly();
        }
        if (tshark.exitValue() != 0) {
            throw new AssertionError("tshark failed to read " + capture + " (exit " + tshark.exitValue() + "): "
                    + Files.readString(errors));
        }
        List<Frame> frames = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            String[] f = line.split("\\|", -1);
            if (f.length < 5) {
                throw new AssertionError("unexpected tshark line: " + line);
            }
            List<String> messages = f[2].isEmpty() ? List.of() : Arrays.asList(f[2].split("\\^"));
            List<Integer> severities = f[3].isEmpty() ? List.of()
                    : Arrays.stream(f[3].split("\\^")).map(Integer::decode).toList();
            frames.add(new Frame(f[0], f[1], messages, severities, !f[4].isEmpty(), line));
        }
        return frames;
    }
}
