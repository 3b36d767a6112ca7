package layer45.itest;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A downloaded file read against the file the server sent, when server-side modules inserted tags and the client
 * stripped none: which tag is where shows which module applied to which part of the stream. Reading the download from
 * its start, every byte is either the original's next byte or the start of one of the known tags.
 *
 * @param tags every tag found, in download order
 * @param originalBytes how many bytes of the original the download holds (the rest was cut off by the tags' length:
 *        curl stops at the Content-Length the server announced)
 */
record TaggedDownload(List<Tag> tags, long originalBytes) {

    /**
     * One tag in the download.
     *
     * @param text the tag
     * @param at where it is in the download
     * @param after how many bytes of the original came before it
     */
    record Tag(String text, long at, long after) {
    }

    /**
     * @param original the file the server sent
     * @param download what the client saved
     * @param tags the tags modules may have inserted
     * @return the tags found
     * @throws AssertionError if a byte of the download is neither the original's nor a tag's
     */
    static TaggedDownload read(Path original, Path download, String... tags) throws IOException {
        byte[] sent = Files.readAllBytes(original);
        byte[] got = Files.readAllBytes(download);
        List<byte[]> known = Arrays.stream(tags).map(t -> t.getBytes(US_ASCII)).toList();
        List<Tag> found = new ArrayList<>();
        int o = 0;
        int d = 0;
        next: while (d < got.length) {
            for (byte[] tag : known) {
                if (Arrays.equals(got, d, Math.min(got.length, d + tag.length), tag, 0, tag.length)) {
                    found.add(new Tag(new String(tag, US_ASCII), d, o));
                    d += tag.length;
                    continue next;
                }
            }
            if (o >= sent.length || got[d] != sent[o]) {
                throw new AssertionError("byte " + d + " of the download " + download + " is neither byte " + o
                        + " of " + original + " nor the start of a tag " + List.of(tags) + "; tags before it: "
                        + found.subList(Math.max(0, found.size() - 5), found.size()));
            }
            d++;
            o++;
        }
        return new TaggedDownload(List.copyOf(found), o);
    }

    /** @return the tags with that text, in order */
    List<Tag> tagged(String text) {
        return tags.stream().filter(t -> t.text().equals(text)).toList();
    }

    /**
     * @param text a tag
     * @return whether the tags with that text are all {@code interval} original bytes apart, with none missing
     *         between the first and the last
     */
    boolean evenlySpaced(String text, long interval) {
        List<Tag> these = tagged(text);
        for (int i = 1; i < these.size(); i++) {
            if (these.get(i).after() - these.get(i - 1).after() != interval) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return tags.size() + " tags over " + originalBytes + " original bytes: " + tags.stream()
                .collect(Collectors.groupingBy(Tag::text, Collectors.summarizingLong(Tag::after))).entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue().getCount() + " after original bytes "
                        + e.getValue().getMin() + ".." + e.getValue().getMax())
                .collect(Collectors.joining("; "));
    }
}
