package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A download that lasts long enough for an operator's command to land in the middle of it: curl fetches
 * {@value #SIZE} bytes while the {@code pace} module holds the web server's side to {@value #RATE} bytes a second.
 *
 * <p>The server's side is paced, not curl's ({@code --limit-rate}): a module's change applies where the server's
 * chain is, and the host's socket buffers between the namespaces hold megabytes, so with only curl slowed the server's
 * chain would have passed the whole file long before curl had read half of it. Paced in the chain itself, every byte
 * curl has received went through the chain before the command, and every byte after the chain's position goes through
 * it after.
 */
final class PacedDownload implements AutoCloseable {

    /** The file's size: two seconds at the pace. */
    static final long SIZE = 8L << 20;
    static final long RATE = 4_000_000;
    private static final String FILE = "paced.bin";

    private final Path original;
    private final Path download;
    private final BackgroundProgram curl;

    private PacedDownload(Path original, Path download, BackgroundProgram curl) {
        this.original = original;
        this.download = download;
        this.curl = curl;
    }

    /**
     * Loads {@code pace} in front of every other module of the web server's flows (priority 1), passing each chunk on
     * to the next module once it has waited.
     */
    static void loadPace(ModuleConsole modules) throws IOException, InterruptedException {
        modules.insmod("pace", "local.port=" + ServerNamespaces.WEB_PORT, "priority=1", "delay.ms=0",
                "rate.bytes.per.s=" + RATE, "pass.to.next=true");
    }

    /**
     * Starts curl in the runtime's namespace.
     *
     * @param name a name for the download's file
     */
    static PacedDownload start(ServerNamespaces servers, String name) throws IOException {
        Path original = servers.site().resolve(FILE);
        if (!Files.exists(original)) {
            Programs.randomFile(original, SIZE);
        }
        Path download = servers.work().resolve(name);
        Files.deleteIfExists(download);
        return new PacedDownload(original, download, servers.curlInBackground(FILE, download, 60));
    }

    /**
     * Waits until curl has received some bytes.
     *
     * @param bytes how many at least
     * @return how many it had received when the wait ended, which is more than the server's chain had passed
     *         before that moment
     * @throws AssertionError if curl ends first, or takes more than 20 s
     */
    long awaitReceived(long bytes) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            long received = Files.exists(download) ? Files.size(download) : 0;
            if (received >= bytes) {
                assertTrue(received < SIZE / 2, "the download is still in its first half (" + received + " bytes):"
                        + " is pace loaded?");
                return received;
            }
            assertTrue(curl.isAlive(), "curl still downloads: " + curl.output());
            Thread.sleep(100);
        }
        throw new AssertionError("curl did not receive " + bytes + " bytes within 20 s: " + curl.output());
    }

    /**
     * Waits for curl to end and reads its file against the original.
     *
     * @param tags the tags modules may have inserted
     * @return the tags in the download
     */
    TaggedDownload finish(String... tags) throws IOException, InterruptedException {
        ProcessResult ended = curl.awaitExit(60);
        assertEquals(0, ended.exitCode(), "curl ends well: " + ended);
        // curl stops at the Content-Length the server announced: tags make the rest of the file wait on the wire
        assertEquals(SIZE, Files.size(download), ended.toString());
        TaggedDownload read = TaggedDownload.read(original, download, tags);
        System.out.println(download.getFileName() + ": " + read);
        return read;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            curl.close();
        } finally {
            Files.deleteIfExists(download);
        }
    }
}
