package layer45.runtime.rules;

/**
 * The rules a customization module must follow, numbered as in the original Layer 4.5 "Module Requirements"
 * (rules 1 to 12), plus the three layer45 adds for what the original did not have (13 to 15). The one source of
 * the rule texts: the runtime's log and abort reasons, the test library's assertion messages and the rules table
 * of {@code docs/reference.md} all say what is written here.
 *
 * <p>Rules the runtime can see broken have a {@link #fix()}: the message a module gets for breaking one is
 * {@link #broken(String)}. The others (how verdicts behave, loading, activation) cannot be broken by a module;
 * their texts document what the runtime does.
 */
public enum ModuleRule {

    /** Rule 1: both paths, and a verdict from each call. */
    BOTH_PATHS(1, "a module implements both send and recv, and every call returns a Verdict",
            "return a Verdict from every call, never null; on a path you do not customize, return"
                    + " Verdict.NO_CUSTOMIZATION"),
    /** Rule 2: the buffers belong to the runtime. */
    BUFFERS_BELONG_TO_THE_RUNTIME(2, "the Chunk, Output and Flow belong to the runtime and are valid only during"
            + " the call, on the calling thread",
            "do not keep them in fields or hand them to other threads; copy the bytes you need during the call"
                    + " (Chunk.copyFull), keep bytes for later with Chunk.holdUnread(), and keep per-flow data in"
                    + " Flow.state"),
    /** Rule 3: copy length 0 drops; a copy length must lie within what was written. */
    COPY_LENGTH(3, "the copy length is what gets delivered: 0 delivers nothing, and it must lie within the output",
            "pass Output.deliver(n) an n between 0 and Output.length(), and write at most Output.maxLength() bytes"
                    + " (Verdict.DROP drops a chunk)"),
    /** Rule 4: errors are a verdict, never an exception. */
    ERRORS_ARE_VERDICTS(4, "a negative copy length signals an error: a module reports errors with a verdict, it"
            + " does not throw",
            "catch what your code may throw; to end a flow you cannot handle, return Verdict.ERROR or"
                    + " Output.deliver(-errno)"),
    /** Rule 5: no customization for this chunk. */
    NO_CUSTOMIZATION(5, "Verdict.NO_CUSTOMIZATION passes the chunk unchanged (no_cust); TRY_NEXT asks the next"
            + " module", ""),
    /** Rule 6: skip the flow for good. */
    SKIP_FLOW(6, "Verdict.SKIP_FLOW stops customizing the flow, both directions, for good (set_cust_to_skip)", ""),
    /** Rule 7: read the chunk through its cursor. */
    READ_THROUGH_THE_CURSOR(7, "the chunk may span several segments: read it with copyFull, advance, revert,"
            + " byteAt, startsWith and indexOf, within its bounds",
            "check Chunk.remaining() before advance(n) and Chunk.position() before revert(n)"),
    /** Rule 8: the chunk is read-only. */
    CHUNK_IS_READ_ONLY(8, "the chunk is read-only: only its position moves, and every module sees it from its"
            + " start", ""),
    /** Rule 9: the autoload folder. */
    AUTOLOAD(9, "a bundle jar in the autoload folder is loaded now and at every start", ""),
    /** Rule 10: active or not. */
    ACTIVE(10, "an inactive module stays attached to its flows but is not called", ""),
    /** Rule 11: deprecated modules. */
    DEPRECATED(11, "a deprecated module keeps the flows it has and attaches to no new ones", ""),
    /** Rule 12: process and thread names. */
    PROCESS_AND_THREAD(12, "process (tgid) and thread (pid) names differ; match an application such as dig by"
            + " its process name", ""),
    /** Rule 13 (layer45): holding needs DELIVER or DROP. */
    HOLD_NEEDS_DELIVER_OR_DROP(13, "bytes held with Chunk.holdUnread() are kept only with Verdict.DELIVER or"
            + " Verdict.DROP",
            "after holdUnread(), return DELIVER (with what you produced) or DROP (nothing yet)"),
    /** Rule 14 (layer45): calls return promptly. */
    CALL_BUDGET(14, "a call returns within the runtime's call budget: modules never block or wait",
            "do not sleep, wait for locks, or do I/O in send or recv; pace with holdUnread and the next chunk, or"
                    + " hand slow work to a thread of your own that never touches the call's views"),
    /** Rule 15 (layer45): holds are bounded. */
    HOLD_LIMIT(15, "a module holds at most the runtime's hold limit of bytes in each direction",
            "hold less (deliver complete frames as they arrive), or raise the runtime setting hold.limit");

    private final int number;
    private final String title;
    private final String fix;

    ModuleRule(int number, String title, String fix) {
        this.number = number;
        this.title = title;
        this.fix = fix;
    }

    /** @return the rule's number: 1 to 12 as in the original's list, 13 and up for layer45's own */
    public int number() {
        return number;
    }

    /** @return what the rule says, in one sentence */
    public String title() {
        return title;
    }

    /** @return how to follow the rule, for a module that broke it; "" for rules a module cannot break */
    public String fix() {
        return fix;
    }

    /** @return whether the rule comes from the original's list (1 to 12) rather than layer45's additions */
    public boolean isSeedRule() {
        return number <= 12;
    }

    /**
     * The message for breaking this rule, as the runtime logs it and the test library reports it.
     *
     * @param what what the module did, and where
     * @return {@code broke rule N (title): what. Fix: fix}
     */
    public String broken(String what) {
        return "broke rule " + number + " (" + title + "): " + what + ". Fix: " + fix;
    }

    /**
     * @param number a rule number
     * @return the rule
     * @throws IllegalArgumentException if there is no such rule
     */
    public static ModuleRule number(int number) {
        for (ModuleRule rule : values()) {
            if (rule.number == number) {
                return rule;
            }
        }
        throw new IllegalArgumentException("there is no module rule " + number + "; rules are 1 to " + values().length);
    }
}
