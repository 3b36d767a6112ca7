package layer45.mnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import layer45.mnet.socket.PagePool;
import org.junit.jupiter.api.Test;

/** The host read buffer follows what the host sends: small while reads are short, a page while they fill it. */
class HostReadBufferTest {

    @Test
    void growsToAPageWhenAReadFillsItAndGivesThePageBackAfterAShortRead() {
        PagePool pool = new PagePool(1024, Long.MAX_VALUE, 4096);
        HostReadBuffer buffer = new HostReadBuffer(64, pool);
        assertEquals(64, buffer.next().remaining(), "small at first");
        buffer.read(10);
        assertEquals(64, buffer.next().remaining(), "a short read keeps it small");
        buffer.read(64);
        assertEquals(1024, buffer.next().remaining(), "a read that filled it: a page next");
        assertTrue(buffer.holdsPage());
        buffer.read(1024);
        assertEquals(1024, buffer.next().remaining(), "still busy");
        buffer.read(300);
        assertEquals(64, buffer.next().remaining(), "a read that left the page part empty: small again");
        assertFalse(buffer.holdsPage());
        assertEquals(0, pool.bytesInUse(), "the page went back");
        buffer.read(64);
        buffer.next();
        buffer.close();
        assertEquals(0, pool.bytesInUse(), "close gives the page back");
    }
}
