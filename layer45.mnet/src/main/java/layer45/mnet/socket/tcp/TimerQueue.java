package layer45.mnet.socket.tcp;

import java.util.Arrays;

/**
 * The connections with a timer running, ordered by their next deadline: an indexed binary min-heap, so a
 * connection's deadline moves in O(log n) and the loop finds the next one in O(1) however many connections are open.
 * Each connection remembers its place ({@link TcpConnection#timerIndex}). Loop thread only; grows by doubling, never
 * per segment.
 */
final class TimerQueue {

    private TcpConnection[] heap = new TcpConnection[64];
    private long[] keys = new long[64];
    private int size;

    /**
     * Puts a connection at its deadline, moves it, or takes it out when the deadline is {@link TcpConnection#NEVER}.
     *
     * @param c the connection
     * @param deadline its next deadline
     */
    void update(TcpConnection c, long deadline) {
        int i = c.timerIndex;
        if (deadline == TcpConnection.NEVER) {
            if (i >= 0) {
                removeAt(i);
            }
            return;
        }
        if (i < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            i = size++;
            heap[i] = c;
            c.timerIndex = i;
        } else if (keys[i] == deadline) {
            return;
        }
        keys[i] = deadline;
        siftUp(i);
        siftDown(c.timerIndex);
    }

    /** @param c a connection to take out, if it is in */
    void remove(TcpConnection c) {
        if (c.timerIndex >= 0) {
            removeAt(c.timerIndex);
        }
    }

    /** @return the earliest deadline, or {@link TcpConnection#NEVER} */
    long nextDeadline() {
        return size == 0 ? TcpConnection.NEVER : keys[0];
    }

    /** @return the connection with the earliest deadline, or {@code null} */
    TcpConnection first() {
        return size == 0 ? null : heap[0];
    }

    /** @return connections with a timer */
    int size() {
        return size;
    }

    private void removeAt(int i) {
        TcpConnection gone = heap[i];
        gone.timerIndex = -1;
        int last = --size;
        if (i != last) {
            move(last, i);
            siftUp(i);
            siftDown(heap[i].timerIndex);
        }
        heap[last] = null;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= keys[i]) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int child = right < size && keys[right] < keys[left] ? right : left;
            if (keys[i] <= keys[child]) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int a, int b) {
        TcpConnection ca = heap[a];
        long ka = keys[a];
        heap[a] = heap[b];
        keys[a] = keys[b];
        heap[b] = ca;
        keys[b] = ka;
        heap[a].timerIndex = a;
        heap[b].timerIndex = b;
    }

    private void move(int from, int to) {
        heap[to] = heap[from];
        keys[to] = keys[from];
        heap[to].timerIndex = to;
    }
}
