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

    /** @return the read-only view of bytes {@code [0, length)}, valid until the block is reused */
    ByteBuffer view(int length) {
        return readOnlyView.limit(length).position(0);
    }
}
