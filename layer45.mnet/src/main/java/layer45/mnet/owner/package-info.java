/**
 * Which program owns a flow: {@link layer45.mnet.owner.OwnerLookup} finds, for a flow seen on the TUN link, the
 * process and thread that own its socket inside the namespace wired to the stack, as the {@link
 * layer45.api.ProcessOwner} customization modules match on (the original kernel module matched {@code dig} by the
 * task name of its thread group).
 *
 * <p>The pieces, one job each: {@code DiagRequest} and {@code DiagReplies} encode and parse {@code
 * NETLINK_SOCK_DIAG} messages (checked, drops counted, never throwing); {@code SockDiag} holds the conversation
 * with the namespace's kernel ({@link layer45.mnet.phy.linux.NetlinkSocket}) and the lookup strategy; {@code
 * SocketMatch} picks a socket from a dump by the kernel's rules; {@code ProcScan} finds a socket's holders in
 * {@code /proc}; {@code ThreadFinder} the thread using it; {@code OwnerCache} remembers holders; {@code ProcText}
 * and {@code SyscallLine} parse the {@code /proc} texts. {@link layer45.mnet.owner.OwnerLookup}'s documentation
 * describes the method and its limits.
 *
 * <p>Private to the bundle; the relay calls it off the loop thread.
 */
package layer45.mnet.owner;
