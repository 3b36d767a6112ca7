package layer45.customizations.echotag;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.api.spi.Outcome;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.module.ModuleOrigin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo tag client in front of an echo server: the wire carries tags, the application sees its own bytes. */
class EchoTagTest {

    private static final String APP = "127.0.0.1:50000";
    private static final String ECHO = "127.0.0.1:65432";

    private Layer45Runtime runtime;
    private InMemoryFlowDriver driver;
    private EchoTagClient module;

    @BeforeEach
    void load() throws Exception {
        runtime = Layer45Runtime.standalone();
        driver = new InMemoryFlowDriver(runtime);
        module = new EchoTagClient();
        module.configure(config("<start>", "<end>"));
        runtime.load("echo-tag-client", module, Map.of(CustomizationService.REMOTE_PORT, new String[] { "65432" }),
                ModuleOrigin.NONE);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private DriverFlow flow(Transport transport, String remote) {
        return driver.open(InMemoryFlowDriver.flow(transport, "python3", APP, remote));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    @Test
    void whatTheApplicationSendsIsWrappedInTags() {
        try (DriverFlow flow = flow(Transport.TCP, ECHO)) {
            assertEquals("<start>hello<end>", new String(flow.send(ascii("hello")), US_ASCII));
            assertEquals(5, flow.applicationSent(), "the application sees its own 5 bytes sent");
        }
    }

    @Test
    void anEchoedStreamSplitAnywhereComesBackAsExactlyWhatWasSent() {
        Random random = new Random(65432);
        for (int round = 0; round < 200; round++) {
            try (DriverFlow flow = flow(Transport.TCP, ECHO)) {
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                for (int m = 0; m < 1 + random.nextInt(6); m++) {
                    byte[] message = randomText(random, 1 + random.nextInt(40));
                    sent.writeBytes(message);
                    wire.writeBytes(flow.send(message));
                }
                byte[] echoed = wire.toByteArray();
                for (int at = 0; at < echoed.length;) { // the network re-chunks the stream however it likes
                    int n = Math.min(echoed.length - at, 1 + random.nextInt(12));
                    flow.recv(Arrays.copyOfRange(echoed, at, at + n), random.nextInt(n + 1));
                    at += n;
                }
                assertArrayEquals(sent.toByteArray(), flow.app(), "round " + round);
                assertEquals(0, flow.lastHeld());
            }
        }
    }

    @Test
    void aPeerThatDoesNotTagIsLeftAlone() {
        try (DriverFlow flow = flow(Transport.TCP, ECHO)) {
            assertEquals("plain reply", new String(flow.recv(ascii("plain reply")), US_ASCII));
            assertEquals("<start>later", new String(flow.recv(ascii("<start>later")), US_ASCII),
                    "once untagged, always untagged");
        }
    }

    @Test
    void bytesBetweenFramesAreAProtocolErrorThatAbortsTheFlow() {
        try (DriverFlow flow = flow(Transport.TCP, ECHO)) {
            flow.recv(ascii("<start>ok<end>garbage"));
            assertEquals(Outcome.ABORTED, flow.lastOutcome());
            assertTrue(flow.lastAbortReason().contains("copy length -71"), flow.lastAbortReason());
        }
        assertEquals(1, runtime.module("echo-tag-client").recv.errors);
    }

    @Test
    void aDatagramIsOneFrame() {
        try (DriverFlow flow = flow(Transport.UDP, ECHO)) {
            byte[] wire = flow.send(ascii("query"));
            assertEquals("<start>query<end>", new String(wire, US_ASCII));
            assertEquals("query", new String(flow.recv(wire), US_ASCII));
            assertEquals("untagged", new String(flow.recv(ascii("untagged")), US_ASCII));
            assertEquals(Outcome.ORIGINAL, flow.lastOutcome());
            flow.recv(ascii("<start>truncated"));
            assertEquals(Outcome.DROPPED, flow.lastOutcome());
        }
    }

    @Test
    void flowsToOtherPortsAreNotTouched() {
        try (DriverFlow flow = flow(Transport.TCP, "127.0.0.1:8080")) {
            assertEquals("GET /", new String(flow.send(ascii("GET /")), US_ASCII));
            assertEquals(0, runtime.module("echo-tag-client").usedBy);
        }
    }

    @Test
    void newTagsApplyToNewFlowsWhileOpenFlowsKeepTheirs() {
        try (DriverFlow old = flow(Transport.TCP, ECHO)) {
            old.send(ascii("a"));
            module.configure(config("[[", "]]"));
            assertEquals("<start>b<end>", new String(old.send(ascii("b")), US_ASCII));
            try (DriverFlow fresh = flow(Transport.TCP, ECHO)) {
                assertEquals("[[c]]", new String(fresh.send(ascii("c")), US_ASCII));
            }
        }
    }

    private static byte[] randomText(Random random, int length) {
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = (byte) ('a' + random.nextInt(26)); // never '<': the payload must not contain a tag
        }
        return text;
    }

    static EchoTag.Config config(String start, String end) {
        return new EchoTag.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EchoTag.Config.class;
            }

            @Override
            public String start_tag() {
                return start;
            }

            @Override
            public String end_tag() {
                return end;
            }
        };
    }
}
