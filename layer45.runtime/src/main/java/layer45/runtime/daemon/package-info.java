/**
 * The runtime as a daemon: a stop asked for by a signal (SIGTERM from systemd or {@code kill}) stops the framework
 * the same way {@code stop 0} does, so every component ends in order and the network stack drains. Private to the
 * runtime bundle.
 */
package layer45.runtime.daemon;
