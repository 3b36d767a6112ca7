package layer45.runtime.view;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Read-only views of the segments lent to a call, one per segment index, to hand ranges of them to a sink without
 * copying. A view is made when a segment is first referenced and kept while the same buffer comes at that index
 * (the stack lends the same buffers chunk after chunk), so passing a range allocates nothing.
 */
final class SegmentViews {

    private ByteBuffer[] viewed = new ByteBuffer[2];
    private ByteBuffer[] views = new ByteBuffer[2];

    /**
     * Makes sure a view of {@code segment} is ready at {@code index}.
     *
     * @param index the segment's index in the chunk
     * @param segment the segment
     */
    void remember(int index, ByteBuffer segment) {
        if (index >= views.length) {
            int size = Math.max(index + 1, views.length * 2);
            viewed = Arrays.copyOf(viewed, size);
            views = Arrays.copyOf(views, size);
        }
        if (viewed[index] != segment) {
            viewed[index] = segment;
            views[index] = segment.asReadOnlyBuffer();
        }
    }

    /**
     * @param index a segment index given to {@link #remember}
     * @param from the first index in the segment's buffer
     * @param to the index after the last
     * @return the view of that range, valid until the next call for this index
     */
    ByteBuffer view(int index, int from, int to) {
        ByteBuffer view = views[index];
        return view.limit(to).position(from);
    }
}
