package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CongestionControlsTest {

    @Test
    void findsEachAlgorithmByName() {
        assertEquals(List.of("newreno", "cubic"), CongestionControls.names());
        for (String name : CongestionControls.names()) {
            CongestionControlFactory factory = CongestionControls.byName(name);
            CongestionControl first = factory.create();
            assertEquals(name, first.name());
            assertNotSame(first, factory.create(), "one instance per connection");
        }
        assertEquals("cubic", CongestionControls.byName("CUBIC").create().name());
    }

    @Test
    void namesTheKnownAlgorithmsWhenAskedForAnother() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CongestionControls.byName("bbr"));
        assertEquals("unknown congestion control \"bbr\"; choose one of newreno, cubic", e.getMessage());
        assertThrows(NullPointerException.class, () -> CongestionControls.byName(null));
    }
}
