/**
 * The control socket: a Unix domain socket on which local clients ({@code layer45 exec}, {@code layer45 shell},
 * {@code layer45 lsmod} and the other module commands) run Gogo command lines in the running runtime. Private to
 * the runtime bundle.
 *
 * <h2>Where, and who may connect</h2>
 * The path is the configuration key {@code control.socket}; by default {@code /run/layer45/layer45.sock} when the
 * runtime runs as root and {@code <layer45.home>/cnf/target/layer45.sock} otherwise. Its folder is created 0700 when
 * missing, and the socket is 0600: only the runtime's own user may connect. The socket is bound in a private
 * folder, made 0600 there and then renamed into place, so it is never reachable with looser permissions. A socket
 * file left by a runtime that died is replaced; one on which another runtime still answers is not, and this runtime
 * then runs without a control socket and says why. The file is removed when the runtime stops.
 *
 * <h2>Protocol</h2>
 * A connection runs one command line, in a Gogo {@code CommandSession} of its own that is closed with the
 * connection. Both directions are sequences of frames ({@code layer45.cli.protocol}, a package of the client's that
 * this bundle embeds): one type byte, the payload's length as a 4-byte big-endian unsigned number, the payload.
 *
 * <pre>
 * client:  [D directory]  C command-line  I input*  (half-close or close: end of input)
 * runtime:                                O stdout* E stderr* (interleaved)  X status, then close
 * </pre>
 *
 * A session ({@code layer45 shell}) keeps one Gogo session for many command lines, so variables and the current
 * directory carry over from one to the next:
 *
 * <pre>
 * client:  [D directory]  S  C line  ...  C line  ...  (half-close or close: the session ends)
 * runtime:                      O* E* X   ...  O* E* X, then close
 * </pre>
 *
 * The runtime answers each {@code C} with the line's output and its {@code X} before it reads the next; a session's
 * commands read no input (end of file at once).
 *
 * <ul>
 * <li>{@code S} (instead of the first {@code C}): open a session; empty payload.
 * <li>{@code D} (optional): the client's directory, UTF-8, absolute; relative paths in the command, such as
 * {@code insmod}'s jar, are taken from it.
 * <li>{@code C}: the command line, UTF-8, at most 16 KiB, within 10 seconds of connecting.
 * <li>{@code I}: bytes for the session's input, up to 64 KiB a frame. The command reads them from
 * {@code CommandSession.getKeyboard()} (buffered up to 64 KiB; a client that sends more than the command reads is
 * slowed down, not dropped). The client's half-close, or its disconnection, is the input's end of file: this is what
 * ends {@code l45:attach --hold}.
 * <li>{@code O}, {@code E}: what the command prints on its standard output and error, as it prints it, up to 64 KiB
 * a frame; the command's result is printed as the console prints it ({@code Converter.INSPECT}), on standard output.
 * <li>{@code X}: the exit status, a 4-byte big-endian int, always last: 0 the command returned; 1 it threw, its
 * message on standard error; 2 the request was refused without running (too many connections, a command line too
 * long or late, a broken frame), the reason on standard error.
 * </ul>
 *
 * An unknown frame type, a frame over its limit or a frame out of order ends the request with status 2, or, once the
 * command runs, ends its input. At most 16 connections are served at once; more are refused with status 2.
 */
package layer45.runtime.control;
