/**
 * Time for the stack: a {@link layer45.mnet.time.Clock} that every timer reads, and a
 * {@link layer45.mnet.time.ManualClock} for deterministic tests.
 */
package layer45.mnet.time;
