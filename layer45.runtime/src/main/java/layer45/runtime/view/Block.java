package layer45.runtime.view;

import java.nio.ByteBuffer;

/** A pooled byte array, with a read-only view of it handed to sinks. */
final class Block {

    final byte[] data;
    final ByteBuffer readOnlyView;
    final int sizeClass;

    Block(int size, int sizeClass) {
        this.data = new byte[size];
        this.readOnlyView = ByteBuffer.wrap(data).asReadOnlyBuffer();
        this.sizeClass = sizeClass;
    }

    /** @return the read-only view of bytes {@code [from, to)}, valid until the block is reused or viewed again */
    ByteBuffer view(int from, int to) {
        return readOnlyView.limit(to).position(from);
    }
}
