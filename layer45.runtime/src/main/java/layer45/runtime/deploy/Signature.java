package layer45.runtime.deploy;

/**
 * Who signed a jar that was accepted.
 *
 * @param signer the signer certificate's subject, or "" if the jar is unsigned (and was let in by
 *        {@code modules.signature = allow-unsigned})
 */
record Signature(String signer) {

    /** An unsigned jar. */
    static final Signature UNSIGNED = new Signature("");

    /** @return whether a trusted signer signed it */
    boolean signed() {
        return !signer.isEmpty();
    }
}
