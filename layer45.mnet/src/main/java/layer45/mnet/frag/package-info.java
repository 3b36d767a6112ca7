/**
 * IP fragment reassembly: the {@link layer45.mnet.frag.Reassembler} puts IPv4 and IPv6 fragments back together
 * within memory, count and time limits, refuses overlaps, and counts every discard by reason. Outgoing
 * fragmentation is done by the network layer when it emits (package {@code layer45.mnet.iface}).
 */
package layer45.mnet.frag;
