package layer45.customizations.aesgcm;

import java.security.SecureRandom;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Encrypts and authenticates both directions of a flow with AES-256-GCM ({@link WireFormat}): what the application
 * sends goes out as records, what it receives is checked and decrypted. One module on each end; the applications
 * see their own bytes, the wire only ciphertext.
 *
 * <p>The module refuses to activate without a key: a misconfigured encryption module must not silently pass
 * plaintext. Open flows keep the key and record size they began with.
 */
public abstract class AesGcm implements Customization {

    /** The key and record size, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 AES-GCM", description = "Encrypts and authenticates both directions")
    public @interface Config {
        /** @return the key as 64 hexadecimal digits, or empty */
        @AttributeDefinition(name = "Key", type = AttributeType.PASSWORD, description = "The 256-bit key as 64 hex"
                + " digits, the same on both ends (openssl rand -hex 32); or use key.file")
        String key() default "";

        /** @return a file holding the key, or empty */
        @AttributeDefinition(name = "Key file", description = "A file holding the key as 64 hex digits, so the key"
                + " stays out of the module's parameters")
        String key_file() default "";

        /** @return the most plaintext bytes per record */
        @AttributeDefinition(name = "Record size", description = "The most plaintext bytes per TCP record, 1 to"
                + " 16384")
        int record_size() default WireFormat.MAX_PLAINTEXT;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final byte sendDirection;
    private final byte recvDirection;
    /** What flows that begin now use; {@code null} until activated. */
    private volatile Settings settings;

    /**
     * @param name the component's name, for messages
     * @param sendDirection the direction byte of what this side sends
     * @param recvDirection the direction byte of what this side receives
     */
    protected AesGcm(String name, byte sendDirection, byte recvDirection) {
        this.name = name;
        this.sendDirection = sendDirection;
        this.recvDirection = recvDirection;
    }

    /**
     * @param config the key and record size
     * @throws IllegalArgumentException if there is no usable key or the record size is out of range; the component
     *         then does not activate
     */
    @Activate
    @Modified
    public void configure(Config config) {
        MasterKey key = MasterKey.configured(name, config.key(), config.key_file());
        int recordSize = config.record_size();
        if (recordSize < 1 || recordSize > WireFormat.MAX_PLAINTEXT) {
            throw new IllegalArgumentException(name + ": record.size=" + recordSize + " is out of range; set 1 to "
                    + WireFormat.MAX_PLAINTEXT + " (the default)");
        }
        settings = new Settings(key, recordSize);
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        FlowCiphers ciphers = flow.state(FlowCiphers::new);
        Settings s = ciphers.settings(settings);
        if (flow.info().transport().isDatagram()) {
            if (ciphers.datagramSealer == null) {
                ciphers.datagramSealer = new DatagramSealer(s.key, sendDirection, RANDOM);
            }
            return ciphers.datagramSealer.seal(source, output);
        }
        if (ciphers.streamSealer == null) {
            ciphers.streamSealer = new StreamSealer(s.key, sendDirection, s.recordSize, RANDOM);
        }
        ciphers.streamSealer.seal(source, output);
        if (source.remaining() > 0) {
            source.holdUnread(); // more than the output limit: the rest goes out with the next chunk
        }
        return Verdict.DELIVER;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        FlowCiphers ciphers = flow.state(FlowCiphers::new);
        Settings s = ciphers.settings(settings);
        if (flow.info().transport().isDatagram()) {
            if (ciphers.datagramOpener == null) {
                ciphers.datagramOpener = new DatagramOpener(s.key, recvDirection);
            }
            return ciphers.datagramOpener.open(source, output);
        }
        if (ciphers.streamOpener == null) {
            ciphers.streamOpener = new StreamOpener(s.key, recvDirection);
        }
        return ciphers.streamOpener.open(source, output);
    }

    private record Settings(MasterKey key, int recordSize) {
    }

    /** Per-flow state: the settings the flow began with, and each direction's cipher, made on first use. */
    private static final class FlowCiphers {
        private Settings settings;
        private StreamSealer streamSealer;
        private StreamOpener streamOpener;
        private DatagramSealer datagramSealer;
        private DatagramOpener datagramOpener;

        Settings settings(Settings current) {
            if (settings == null) {
                settings = current;
            }
            return settings;
        }
    }
}
