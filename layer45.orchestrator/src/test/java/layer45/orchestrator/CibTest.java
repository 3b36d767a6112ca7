package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The customization information base: targets, rollout status, pending commands, reports. */
class CibTest {

    private static Cib memory(String name) throws Exception {
        return new Cib("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "", "");
    }

    @Test
    void targetsNameADeviceAGroupOrAll() throws Exception {
        try (Cib cib = memory("targets")) {
            cib.device("d1", List.of("lab"));
            cib.device("d2", List.of("lab", "edge"));
            cib.device("d3", List.of());
            assertEquals(List.of("d1", "d2"), cib.devicesOf("group:lab"));
            assertEquals(List.of("d2"), cib.devicesOf("group:edge"));
            assertEquals(List.of("d3"), cib.devicesOf("device:d3"));
            assertEquals(List.of("d1", "d2", "d3"), cib.devicesOf("all"));
            assertEquals(List.of(), cib.devicesOf("device:nobody"));
        }
    }

    @Test
    void aCommandIsPendingOnEachDeviceUntilItAnswers() throws Exception {
        try (Cib cib = memory("rollout")) {
            cib.device("d1", List.of("lab"));
            cib.device("d2", List.of("lab"));
            byte[] body = "{\"id\":\"c1\",\"op\":\"report\"}".getBytes(StandardCharsets.UTF_8);
            cib.command("c1", "report", "group:lab", body, cib.devicesOf("group:lab"));
            assertArrayEquals(body, cib.pending("d1").getFirst());
            cib.ack("c1", "d1", "done", "", 5);
            cib.ack("c1", "d9", "done", "", 6); // joined the group after the command: recorded too
            cib.ack("unknown", "d1", "done", "", 7); // not ours: ignored
            assertEquals(List.of(), cib.pending("d1"));
            assertEquals(1, cib.pending("d2").size());
            assertEquals(List.of("d1 done", "d2 pending", "d9 done"), cib.deliveries("c1").stream()
                    .map(d -> d.device() + " " + d.result()).toList());
            assertNull(cib.latestReport("d1"));
            cib.report("d1", 1, "{\"old\":1}");
            cib.report("d1", 2, "{\"new\":2}");
            assertEquals("{\"new\":2}", cib.latestReport("d1"));
        }
    }

    @Test
    void theCommandLineExplainsItsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertEquals(true, err.toString(StandardCharsets.UTF_8).startsWith("usage: layer45 orchestrate"));
        ByteArrayOutputStream noTarget = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of("--db", "jdbc:h2:mem:cli", "revoke", "x", "--broker", "tcp://127.0.0.1:1"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(noTarget)));
    }
}
