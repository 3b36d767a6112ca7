package __PACKAGE__;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Locale;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Transport;
import layer45.api.Verdict;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Shouts one word at curl: in what curl receives from port 8000, every occurrence of the word becomes upper case.
 * The length stays the same, so HTTP's Content-Length still holds.
 *
 * <p>A TCP stream reaches the module in chunks of any size, so the word may be cut in two: the module delivers
 * everything up to a possible start of the word and holds that start back ({@link Chunk#holdUnread()}) until the
 * next chunk tells. What it sends is left alone ({@link Verdict#NO_CUSTOMIZATION}).
 */
// The target: which flows the runtime attaches this module to. Operators can change it (insmod, param).
@Component(name = "__NAME__", service = Customization.class)
@Designate(ocd = __CLASS__.Config.class)
@CustomizationService(protocol = Transport.TCP, process = "curl", remote_port = "8000")
public final class __CLASS__ implements Customization {

    /** The module's own parameter, set with insmod __NAME__.jar word=... or param __NAME__ word=... */
    @ObjectClassDefinition(name = "__NAME__", description = "Upper-cases a word in what curl receives")
    public @interface Config {
        /** @return the word to upper-case */
        @AttributeDefinition(name = "Word", description = "ASCII word to upper-case, case-sensitive")
        String word() default "hello";
    }

    /** The word and its replacement; replaced whole when the configuration changes. */
    private volatile Word word = new Word("hello");

    /** @param config the word to shout */
    @Activate
    @Modified
    void configure(Config config) {
        if (config.word().isEmpty()) {
            throw new IllegalArgumentException("__NAME__: word must not be empty");
        }
        word = new Word(config.word());
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        return Verdict.NO_CUSTOMIZATION; // this path is not customized
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        Word w = this.word;
        int at;
        while ((at = source.indexOf(w.text)) >= 0) {
            output.transferFrom(source, at); // the bytes before the word, as they are
            output.write(w.shouted);
            source.advance(w.text.length);
        }
        int partial = source.endOfStream() ? 0 : w.partialAtEnd(source);
        output.transferFrom(source, source.remaining() - partial);
        if (partial > 0) {
            source.holdUnread(); // may be the start of the word: decide with the next chunk
        }
        return Verdict.DELIVER;
    }

    /** A word, in its bytes and upper-cased. */
    private static final class Word {
        final byte[] text;
        final byte[] shouted;

        Word(String word) {
            text = word.getBytes(US_ASCII);
            shouted = word.toUpperCase(Locale.ROOT).getBytes(US_ASCII);
        }

        /** @return the length of the longest end of the chunk that begins the word (shorter than the word) */
        int partialAtEnd(Chunk source) {
            int remaining = source.remaining();
            for (int n = Math.min(remaining, text.length - 1); n > 0; n--) {
                if (begins(source, remaining - n, n)) {
                    return n;
                }
            }
            return 0;
        }

        private boolean begins(Chunk source, int offset, int n) {
            for (int i = 0; i < n; i++) {
                if (source.byteAt(offset + i) != text[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
