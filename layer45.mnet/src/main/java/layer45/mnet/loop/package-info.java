/**
 * Running the stack: the {@link layer45.mnet.loop.NetLoop} thread owns every piece of stack state and is the only
 * thread that touches it; {@link layer45.mnet.loop.RunningStack} puts a device, its interface, UDP and the echo
 * service together and answers other threads through the loop.
 */
package layer45.mnet.loop;
