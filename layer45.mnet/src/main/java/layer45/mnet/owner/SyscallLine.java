package layer45.mnet.owner;

/**
 * The text of {@code /proc/PID/task/TID/syscall}: what a thread is blocked in. The kernel writes {@code running}
 * for a thread on a CPU, {@code -1 SP PC} for one blocked outside a system call, and otherwise the call's number
 * in decimal and six arguments, the stack pointer and the program counter, each {@code 0x} and hex digits.
 *
 * @param kind which of those it was, or {@link Kind#MALFORMED}
 * @param number the system call's number ({@link Kind#IN_SYSCALL} only)
 * @param firstArgument its first argument, a descriptor for the calls the lookup looks for
 */
record SyscallLine(Kind kind, int number, long firstArgument) {

    /** What a thread was doing. */
    enum Kind {
        /** Blocked in a system call. */
        IN_SYSCALL,
        /** On a CPU: nothing to read. */
        RUNNING,
        /** Stopped outside a system call (a page fault, a signal stop). */
        OUTSIDE,
        /** Not what the kernel writes. */
        MALFORMED
    }

    private static final SyscallLine RUNNING = new SyscallLine(Kind.RUNNING, -1, 0);
    private static final SyscallLine OUTSIDE = new SyscallLine(Kind.OUTSIDE, -1, 0);
    private static final SyscallLine MALFORMED = new SyscallLine(Kind.MALFORMED, -1, 0);

    /**
     * @param text the file's content
     * @return what it says; never throws
     */
    static SyscallLine parse(String text) {
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (line.equals("running")) {
            return RUNNING;
        }
        String[] fields = line.split(" ", 10);
        if (fields.length == 3 && fields[0].equals("-1") && hexArguments(fields, 1)) {
            return OUTSIDE;
        }
        int number = ProcText.number(fields[0]);
        if (fields.length != 9 || number < 0 || !hexArguments(fields, 1)) {
            return MALFORMED;
        }
        return new SyscallLine(Kind.IN_SYSCALL, number, Long.parseUnsignedLong(fields[1].substring(2), 16));
    }

    /** @return whether every field from {@code from} is {@code 0x} and 1 to 16 hex digits */
    private static boolean hexArguments(String[] fields, int from) {
        for (int i = from; i < fields.length; i++) {
            String field = fields[i];
            if (!field.startsWith("0x") || field.length() < 3 || field.length() > 18) {
                return false;
            }
            for (int j = 2; j < field.length(); j++) {
                if (Character.digit(field.charAt(j), 16) < 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
