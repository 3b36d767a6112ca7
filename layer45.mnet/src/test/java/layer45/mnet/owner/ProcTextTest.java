package layer45.mnet.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ProcTextTest {

    @Test
    void readsNumbersOfProcEntries() {
        assertEquals(1, ProcText.number("1"));
        assertEquals(2147483647, ProcText.number("2147483647"));
        for (String name : new String[] {"", "self", "01", "-1", "2147483648", "12a", "thread-self", "99999999999"}) {
            assertEquals(-1, ProcText.number(name), name);
        }
    }

    @Test
    void readsSocketAndNamespaceLinks() {
        assertEquals(123456, ProcText.socketInode("socket:[123456]"));
        assertEquals(4026531840L, ProcText.namespaceInode("net:[4026531840]"));
        for (String target : new String[] {"socket:[]", "socket:[12", "socket:[1x]", "pipe:[123]", "/dev/null",
            "anon_inode:[eventpoll]", "socket:[99999999999999999999]", "net:[-1]"}) {
            assertEquals(-1, ProcText.socketInode(target), target);
            assertEquals(-1, ProcText.namespaceInode(target), target);
        }
        assertEquals(-1, ProcText.socketInode(null));
    }

    @Test
    void takesTheTaskNameWithoutItsNewline() {
        assertEquals("isc-net-0000", ProcText.comm("isc-net-0000\n"));
        assertEquals("my app", ProcText.comm("my app\n"));
        assertEquals("x".repeat(64), ProcText.comm("x".repeat(100)));
    }

    @Test
    void findsWhetherAnEpollInstanceWatchesTheSocket() {
        String fdinfo = """
                pos:	0
                flags:	02000002
                mnt_id:	15
                ino:	1057
                tfd:        7 events:       19 data:                7  pos:0 ino:1e240 sdev:8
                tfd:        5 events:       19 data:                5  pos:0 ino:22b sdev:8
                """;
        assertEquals(1, ProcText.epollWatches(fdinfo, new int[] {5}, 0x22b));
        assertEquals(0, ProcText.epollWatches(fdinfo, new int[] {5}, 0x22c), "fd 5 is another file now");
        assertEquals(0, ProcText.epollWatches(fdinfo, new int[] {6}, 0x22b));
        assertEquals(1, ProcText.epollWatches("tfd: 5 events: 19 data: 5\n", new int[] {5}, 1), "old kernels: no ino");
        assertEquals(-1, ProcText.epollWatches("tfd: x events: 19\n", new int[] {5}, 1));
        assertEquals(-1, ProcText.epollWatches("tfd: 5 ino:zz\n", new int[] {5}, 1));
    }

    @Test
    void randomTextNeverThrows() {
        Random random = new Random(12);
        String alphabet = "0123456789abcdefx:[] \n\tsocketnrfdio-";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "tfd:" : "");
            for (int i = random.nextInt(60); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            ProcText.number(s);
            ProcText.socketInode("socket:[" + s);
            ProcText.namespaceInode(s);
            ProcText.comm(s);
            ProcText.epollWatches(s, new int[] {5, 7}, 0x22b);
            SyscallLine.parse(s);
        }
    }
}
