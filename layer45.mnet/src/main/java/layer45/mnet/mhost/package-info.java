/**
 * Host identifiers, as the {@code mnet} kernel module had them: a name that maps to an ordered list of addresses
 * across network protocols.
 *
 * <p>{@link layer45.mnet.mhost.HostTable} merges three layers into the identifiers in force (the file read by
 * {@link layer45.mnet.mhost.MhostFileWatcher}, the configuration's {@code host.NAME} keys, operators' edits; parsed by
 * {@link layer45.mnet.mhost.MhostEntries}) and gives each identifier its virtual addresses
 * ({@code VirtualAddresses}). The relay asks it to {@linkplain layer45.mnet.mhost.HostTable#translate translate} a
 * flow's destination into the identifier's usable addresses, and reports what each flow chose. The
 * {@link layer45.mnet.mhost.NameService} answers identifiers' names in the stack's own DNS with their virtual
 * addresses, reading queries with {@link layer45.mnet.wire.DnsPacket}.
 *
 * <p>Settings come from {@link layer45.mnet.mhost.MhostSettings} (PID {@code layer45.mhost}).
 */
package layer45.mnet.mhost;
