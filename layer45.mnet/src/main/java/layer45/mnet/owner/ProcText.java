package layer45.mnet.owner;

/**
 * Parsers of the few {@code /proc} texts the lookup reads ({@code Documentation/filesystems/proc.rst}). Each takes
 * the text as read and answers a value or "not that", never throwing: a process may change or vanish between two
 * reads, and a malformed text is counted by the caller.
 */
final class ProcText {

    /** The longest task name the kernel keeps is 15 bytes ({@code TASK_COMM_LEN}); keep a margin, no more. */
    static final int MAX_COMM = 64;

    private ProcText() {
    }

    /**
     * @param name a directory entry of {@code /proc}, {@code /proc/PID/task} or {@code /proc/PID/fd}
     * @return its number (a pid, tid or descriptor), or -1 if it is not a plain decimal number below 2^31
     */
    static int number(String name) {
        int length = name.length();
        if (length == 0 || length > 10 || (length > 1 && name.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /**
     * @param target what {@code /proc/PID/fd/N} links to
     * @return the socket's inode for {@code socket:[12345]}, or -1 for any other file
     */
    static long socketInode(String target) {
        return bracketed(target, "socket:[");
    }

    /**
     * @param target what {@code /proc/PID/ns/net} links to
     * @return the namespace's inode for {@code net:[4026531840]}, or -1 for anything else
     */
    static long namespaceInode(String target) {
        return bracketed(target, "net:[");
    }

    /** @return the decimal number between {@code prefix} and a final {@code ]}, or -1 */
    private static long bracketed(String text, String prefix) {
        if (text == null || !text.startsWith(prefix) || !text.endsWith("]")) {
            return -1;
        }
        int start = prefix.length();
        int end = text.length() - 1;
        if (end <= start || end - start > 19) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return -1;
            }
        }
        return value;
    }

    /**
     * @param text the content of {@code /proc/PID/comm} or {@code /proc/PID/task/TID/comm}
     * @return the task name without the final newline, at most {@link #MAX_COMM} characters
     */
    static String comm(String text) {
        String name = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return name.length() > MAX_COMM ? name.substring(0, MAX_COMM) : name;
    }

    /**
     * Finds, in the text of {@code /proc/PID/fdinfo/EPFD} of an epoll instance, whether it watches a socket:
     * a line {@code tfd: FD events: ... ino:HEX ...} naming one of the socket's descriptors and its inode.
     *
     * @param fdinfo the text
     * @param fds the process's descriptors of the socket
     * @param inode the socket's inode; a line without {@code ino:} (kernels before 4.x) matches on the descriptor
     * @return 1 if it watches the socket, 0 if not, -1 if a {@code tfd:} line is malformed (and none matched)
     */
    static int epollWatches(String fdinfo, int[] fds, long inode) {
        int result = 0;
        for (String line : fdinfo.split("\n", 4096)) {
            if (!line.startsWith("tfd:")) {
                continue;
            }
            String[] fields = line.substring(4).strip().split("\\s+");
            int fd = number(fields[0]);
            if (fd < 0) {
                result = -1;
                continue;
            }
            if (!contains(fds, fd)) {
                continue;
            }
            long watched = -2;
            for (String field : fields) {
                if (field.startsWith("ino:")) {
                    watched = hex(field.substring(4));
                }
            }
            if (watched == -1) {
                result = -1;
            } else if (watched == -2 || watched == inode) {
                return 1;
            }
        }
        return result;
    }

    static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /** @return the value of up to 15 hex digits (so never negative), or -1 */
    static long hex(String digits) {
        if (digits.isEmpty() || digits.length() > 15) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
