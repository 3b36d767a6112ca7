package layer45.mnet.owner;

/**
 * What {@link OwnerLookup} counts, for operators ({@link OwnerLookup#counters()}): outcomes, the cache, the
 * {@code /proc} scans, the netlink conversation, and every reply or {@code /proc} text it dropped, by reason.
 */
enum OwnerEvent {
    /** Calls of {@code find}. */
    LOOKUPS,
    /** Owner found with its thread. */
    FOUND,
    /** Owner found, its thread not. */
    FOUND_PROCESS_ONLY,
    /** Owner not found; the result's reason says why. */
    NOT_FOUND,
    /** Flows attributed to the owner of their listening socket: accepted by the kernel, not by the program yet. */
    LISTENER_OWNER,
    /** Sockets held by more than one process. */
    SEVERAL_PROCESSES,

    /** Owners taken from the cache after a successful check that the process still holds the socket. */
    CACHE_HITS,
    /** Sockets not in the cache, or whose entry expired or was stale. */
    CACHE_MISSES,
    /** Cached owners that no longer held the socket. */
    CACHE_STALE,
    /** Entries dropped because the cache was full. */
    CACHE_EVICTIONS,
    /** Entries dropped because they were older than the age limit. */
    CACHE_EXPIRED,

    /** Nanoseconds spent finding sockets through sock_diag (lock waits included). */
    NETLINK_NANOS,
    /** Nanoseconds spent finding holders: cache checks and scans of {@code /proc} (waits for a scan included). */
    HOLDER_NANOS,
    /** Nanoseconds spent reading task names and finding threads. */
    THREAD_NANOS,

    /** Full walks of {@code /proc}, reading every descriptor of the namespace again (the index missed). */
    SCANS,
    /** Updates of the socket index: new processes and the new descriptors of those whose count changed. */
    INDEX_UPDATES,
    /** Lookups answered by the index (as it was, or after an update), without a full walk. */
    INDEX_HITS,
    /** Processes looked at by scans (their network namespace read). */
    SCANNED_PROCESSES,
    /** Processes of the namespace whose descriptors scans read. */
    SCANNED_NAMESPACE_PROCESSES,
    /** Descriptors read by scans. */
    SCANNED_FDS,
    /** Lookups answered by the index of a scan another lookup made while they waited for it. */
    SCAN_SHARED,
    /** Scans that stopped at a count limit: the owner of that lookup stays unknown. */
    SCAN_LIMIT,
    /** Lookups that ran out of their time box. */
    TIME_BOX,

    /** Threads whose blocked system call was read. */
    THREADS_EXAMINED,
    /** Threads known because the process has only one. */
    THREAD_SINGLE,
    /** Threads found blocked in a system call on the socket's descriptor. */
    THREAD_BLOCKED_ON_SOCKET,
    /** Threads found waiting in {@code epoll_wait} on an epoll instance that watches the socket. */
    THREAD_EPOLL,
    /** Multi-threaded owners where no thread was blocked on the socket. */
    THREAD_NONE_BLOCKED,
    /** Multi-threaded owners where several threads were. */
    THREAD_SEVERAL_BLOCKED,

    /** sock_diag requests sent (exact lookups and dumps). */
    NETLINK_REQUESTS,
    /** Dumps filtered by port, when the exact lookup found nothing (sockets bound to a device). */
    NETLINK_FALLBACK_DUMPS,
    /** Replies that did not come within the netlink timeout. */
    NETLINK_TIMEOUTS,
    /** Failed sends or receives, and errors the kernel answered other than "no such socket". */
    NETLINK_ERRORS,
    /** Netlink sockets opened (the first, and every reopen after an error). */
    NETLINK_OPENS,
    /** Stale replies thrown away before a request. */
    NETLINK_DRAINED,

    /** Reply datagram longer than the receive buffer. */
    REPLY_TRUNCATED,
    /** Fewer bytes left than a netlink header. */
    REPLY_HEADER_TOO_SHORT,
    /** A message length below its header or past the datagram. */
    REPLY_BAD_LENGTH,
    /** A message answering another request (a late reply to one that timed out). */
    REPLY_OTHER_SEQUENCE,
    /** An error message too short for its error code. */
    REPLY_ERROR_TOO_SHORT,
    /** A socket message shorter than {@code struct inet_diag_msg}. */
    REPLY_DIAG_TOO_SHORT,
    /** A socket message of neither IPv4 nor IPv6. */
    REPLY_BAD_FAMILY,
    /** A socket message with an attribute that overruns it. */
    REPLY_BAD_ATTRIBUTE,
    /** A message type other than a socket, an error or the end of a dump. */
    REPLY_UNEXPECTED_TYPE,
    /** Dumps that listed more sockets than the limit. */
    REPLY_TOO_MANY_SOCKETS,

    /** {@code /proc/PID/task/TID/syscall} text that was not what the kernel writes. */
    PROC_MALFORMED_SYSCALL,
    /** {@code /proc/PID/fdinfo/FD} lines of an epoll instance that were not what the kernel writes. */
    PROC_MALFORMED_FDINFO,
    /** {@code /proc} entries that vanished while read (a process or thread exited). */
    PROC_VANISHED,
    /** Processes whose network namespace could not be read (permission denied): skipped, taken as elsewhere. */
    PROC_UNREADABLE
}
