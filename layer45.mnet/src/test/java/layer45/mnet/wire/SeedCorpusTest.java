package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The seed corpus for a fuzzer: every {@link WireFixtures} packet as a binary file, one whole IP packet per file,
 * in {@code src/test/resources/layer45/mnet/wire/corpus/NAME.bin}.
 *
 * <p>The files are committed. {@link #committedCorpusMatchesTheFixtures()} keeps them in step with the fixtures;
 * to rewrite them after changing a fixture, run
 * {@code mvn -pl layer45.mnet test -Dtest=SeedCorpusTest -Dlayer45.wire.writeCorpus=true}.
 */
class SeedCorpusTest {

    /** Where the corpus lives, relative to the module directory (Maven's working directory for tests). */
    static final Path CORPUS = Path.of("src/test/resources/layer45/mnet/wire/corpus");

    /**
     * Writes every fixture to {@code dir}.
     *
     * @param dir the corpus directory, created if missing
     * @throws IOException if a file cannot be written
     */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> fixture : WireFixtures.ALL.entrySet()) {
            Files.write(dir.resolve(fixture.getKey() + ".bin"), WireFixtures.bytes(fixture.getValue()));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "layer45.wire.writeCorpus", matches = "true")
    void writeCorpus() throws IOException {
        write(CORPUS);
    }

    @Test
    void committedCorpusMatchesTheFixtures() throws IOException {
        for (Map.Entry<String, String> fixture : WireFixtures.ALL.entrySet()) {
            String resource = "corpus/" + fixture.getKey() + ".bin";
            try (InputStream in = SeedCorpusTest.class.getResourceAsStream(resource)) {
                assertNotNull(in, resource + " is missing: run the writer (see the class documentation)");
                byte[] bytes = in.readAllBytes();
                assertArrayEquals(WireFixtures.bytes(fixture.getValue()), bytes, resource);
                ByteBuffer b = ByteBuffer.wrap(bytes);
                WireCheck check = (bytes[0] & 0xF0) == 0x40 ? new Ipv4Packet().wrap(b).check()
                        : new Ipv6Packet().wrap(b).check();
                assertEquals(WireCheck.VALID, check, resource + " is a whole, valid IP packet");
            }
        }
    }
}
