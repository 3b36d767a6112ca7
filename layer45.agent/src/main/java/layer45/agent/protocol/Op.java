package layer45.agent.protocol;

import java.util.Locale;

/** What a command asks a device to do; its name in messages is the lower-case constant. */
public enum Op {
    /** Load a jar: {@code jar} (name), {@code bytes} (base64), {@code sha256}; optional {@code params}. */
    INSTALL,
    /** Unload a jar's modules and forget the jar, so it does not come back at a restart: {@code jar}. */
    REVOKE,
    /** Deprecate a module: it keeps its flows and attaches to no new ones: {@code module}. */
    DEPRECATE,
    /** Activate a module: {@code module}. */
    ACTIVATE,
    /** Deactivate a module (its flows pass uncustomized): {@code module}. */
    DEACTIVATE,
    /** Set a module's priority: {@code module}, {@code priority}. */
    PRIORITY,
    /** Set a module's parameters: {@code module}, {@code params} (an object). */
    PARAM,
    /** Publish a report now. */
    REPORT,
    /** Prove a jar is the one deployed: {@code jar}, {@code nonce} (hex); the ack carries {@code response}. */
    CHALLENGE;

    /** @return the name in messages */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a name from a message
     * @return the operation
     * @throws MalformedMessage if there is none of that name
     */
    public static Op of(String text) throws MalformedMessage {
        for (Op op : values()) {
            if (op.text().equals(text)) {
                return op;
            }
        }
        throw new MalformedMessage("unknown op '" + text + "'; known: install, revoke, deprecate, activate,"
                + " deactivate, priority, param, report, challenge");
    }
}
