/**
 * The command-line client of a running layer45 runtime ({@code ./layer45 exec}, {@code run}): it talks to the
 * runtime's control socket with {@link layer45.cli.ControlClient}. {@link layer45.cli.Main} is the entry point.
 */
package layer45.cli;
