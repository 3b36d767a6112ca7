package layer45.mnet.phy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A minimal reader of classic pcap files, either byte order, microsecond or nanosecond timestamps. */
final class PcapReader {

    /** The file header. */
    record Header(ByteOrder order, boolean nanosecond, int versionMajor, int versionMinor, int thisZone,
            int sigFigs, int snapLength, int linkType) {
    }

    /** One record; {@code epochNanos} is the timestamp in nanoseconds since 1970. */
    record Packet(long epochNanos, int capturedLength, int originalLength, byte[] data) {
    }

    final Header header;
    final List<Packet> packets;

    private PcapReader(Header header, List<Packet> packets) {
        this.header = header;
        this.packets = packets;
    }

    static PcapReader read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 24) {
            throw new IOException(file + " is " + in.remaining() + " bytes, too short for a pcap header");
        }
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
        }
        boolean nanosecond = switch (magic) {
            case 0xA1B2C3D4 -> false;
            case 0xA1B23C4D -> true;
            default -> throw new IOException(file + " has no pcap magic: " + Integer.toHexString(magic));
        };
        in.position(4);
        Header header = new Header(in.order(), nanosecond, in.getShort() & 0xFFFF, in.getShort() & 0xFFFF,
                in.getInt(), in.getInt(), in.getInt(), in.getInt());
        List<Packet> packets = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 16) {
                throw new IOException(file + " ends inside a record header");
            }
            long seconds = in.getInt() & 0xFFFF_FFFFL;
            long fraction = in.getInt() & 0xFFFF_FFFFL;
            int captured = in.getInt();
            int original = in.getInt();
            if (captured < 0 || captured > in.remaining()) {
                throw new IOException(file + " has a record of " + captured + " bytes past its end");
            }
            byte[] data = new byte[captured];
            in.get(data);
            long nanos = seconds * 1_000_000_000L + (nanosecond ? fraction : fraction * 1000);
            packets.add(new Packet(nanos, captured, original, data));
        }
        return new PcapReader(header, packets);
    }
}
