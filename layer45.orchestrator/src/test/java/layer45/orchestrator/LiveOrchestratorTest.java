package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/** The component's connection: until it gets through, commands say why, and the state shows the last error. */
class LiveOrchestratorTest {

    @Test
    void untilItConnectsCommandsSayWhy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String broker = "tcp://127.0.0.1:" + port;
        try (Cib cib = new Cib("jdbc:h2:mem:live;DB_CLOSE_DELAY=-1", "", "");
                LiveOrchestrator live = new LiveOrchestrator(cib, () -> new Orchestrator(cib,
                        new Orchestrator.Settings(broker, "orchestrator", "", null, "", "live-test")), broker)) {
            live.start(1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (live.state().equals("connecting (connecting)") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(live.state().startsWith("connecting (") && !live.state().contains("(connecting)"),
                    live.state());
            IllegalStateException e = assertThrows(IllegalStateException.class, live::orchestrator);
            assertTrue(e.getMessage().contains("not connected to the broker " + broker) && e.getMessage().contains(
                    "check orchestrator.broker"), e.getMessage());
            live.askForReports(); // nothing to ask with: no error
        }
    }
}
