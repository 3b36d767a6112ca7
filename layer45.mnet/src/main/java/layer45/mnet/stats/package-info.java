/**
 * Counters of the stack: every packet dropped is counted under a named reason, in the manner of gVisor's
 * {@code tcpip.Stats}, and nothing malformed is ever thrown past the layer that found it.
 */
package layer45.mnet.stats;
