package layer45.mnet.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowTableTest {

    private record Key(int network, long lh, long ll, int lp, long rh, long rl, int rp) {
    }

    @Test
    void findsWhatWasPutAndNothingElse() {
        FlowTable<String> table = new FlowTable<>(16);
        assertTrue(table.put(0x0800, 0, 0x0A000001, 5353, 0, 0x0A000002, 53, "dns"));
        assertEquals("dns", table.get(0x0800, 0, 0x0A000001, 5353, 0, 0x0A000002, 53));
        assertNull(table.get(0x0800, 0, 0x0A000002, 53, 0, 0x0A000001, 5353), "the reverse tuple is another flow");
        assertNull(table.get(0x86DD, 0, 0x0A000001, 5353, 0, 0x0A000002, 53), "another network protocol");
        assertTrue(table.put(0x0800, 0, 0x0A000001, 5353, 0, 0x0A000002, 53, "dns2"));
        assertEquals(1, table.size(), "same tuple replaces");
        assertEquals("dns2", table.remove(0x0800, 0, 0x0A000001, 5353, 0, 0x0A000002, 53));
        assertEquals(0, table.size());
        assertNull(table.remove(0x0800, 0, 0x0A000001, 5353, 0, 0x0A000002, 53));
    }

    @Test
    void refusesFlowsBeyondItsLimit() {
        FlowTable<Integer> table = new FlowTable<>(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(table.put(0x0800, 0, 1, i, 0, 2, 7, i));
        }
        assertFalse(table.put(0x0800, 0, 1, 99, 0, 2, 7, 99));
        assertTrue(table.put(0x0800, 0, 1, 2, 0, 2, 7, 22), "replacing is always possible");
        assertEquals(3, table.size());
        assertThrows(IllegalArgumentException.class, () -> new FlowTable<>(0));
    }

    @Test
    void agreesWithAHashMapUnderRandomChurn() {
        for (long seed : new long[] { 1, 2, 3 }) {
            // A fixed hash seed and a tiny address space force long probe chains and wrap-around.
            FlowTable<Integer> table = new FlowTable<>(512, seed);
            Map<Key, Integer> oracle = new HashMap<>();
            Random random = new Random(seed);
            for (int step = 0; step < 200_000; step++) {
                Key key = new Key(random.nextBoolean() ? 0x0800 : 0x86DD, random.nextInt(2), random.nextInt(4),
                        random.nextInt(8), 0, random.nextInt(4), random.nextInt(8));
                switch (random.nextInt(3)) {
                    case 0 -> {
                        boolean room = oracle.size() < 512 || oracle.containsKey(key);
                        assertEquals(room, table.put(key.network, key.lh, key.ll, key.lp, key.rh, key.rl, key.rp, step));
                        if (room) {
                            oracle.put(key, step);
                        }
                    }
                    case 1 -> assertEquals(oracle.remove(key),
                            table.remove(key.network, key.lh, key.ll, key.lp, key.rh, key.rl, key.rp));
                    default -> assertEquals(oracle.get(key),
                            table.get(key.network, key.lh, key.ll, key.lp, key.rh, key.rl, key.rp));
                }
                assertEquals(oracle.size(), table.size());
            }
            for (Map.Entry<Key, Integer> entry : oracle.entrySet()) {
                Key key = entry.getKey();
                assertEquals(entry.getValue(), table.get(key.network, key.lh, key.ll, key.lp, key.rh, key.rl, key.rp));
            }
        }
    }

    @Test
    void removeIfTakesExactlyTheSelectedFlowsAndKeepsTheRestFindable() {
        FlowTable<Integer> table = new FlowTable<>(1000, 7);
        for (int i = 0; i < 1000; i++) {
            table.put(0x0800, 0, i % 3, i, 0, 9, 53, i);
        }
        List<Integer> removed = new ArrayList<>();
        assertEquals(500, table.removeIf(flow -> flow % 2 == 0, removed::add));
        assertEquals(500, removed.size());
        assertTrue(removed.stream().allMatch(flow -> flow % 2 == 0));
        for (int i = 0; i < 1000; i++) {
            Integer found = table.get(0x0800, 0, i % 3, i, 0, 9, 53);
            assertEquals(i % 2 == 0 ? null : Integer.valueOf(i), found);
        }
        List<Integer> all = new ArrayList<>();
        table.forEach(all::add);
        assertEquals(500, all.size());
    }
}
