package layer45.runtime.control;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** The Gogo shell: each session is a {@link CommandSession} of the framework's command processor. */
final class GogoShell implements Shell {

    /** Where unscoped command names are looked up: scope l45, then any. */
    static final String SCOPE = "l45:*";

    private final CommandProcessor processor;

    /** @param processor Gogo's command processor */
    GogoShell(CommandProcessor processor) {
        this.processor = processor;
    }

    @Override
    public Session open(InputStream in, OutputStream out, OutputStream err) {
        CommandSession session = processor.createSession(in, out, err);
        // An unscoped name is looked up along SCOPE: the runtime's own commands first, so "activate" is l45's even
        // when the orchestrator's nco scope (which has an activate for devices) is there too
        session.put("SCOPE", SCOPE);
        return new Session() {
            @Override
            public void currentDir(Path directory) {
                session.currentDir(directory);
            }

            @Override
            public String execute(String line) throws Exception {
                Object result = session.execute(line);
                // As the console shows a result: nothing for null, the detailed format otherwise.
                return result == null ? null : String.valueOf(session.format(result, Converter.INSPECT));
            }

            @Override
            public void close() {
                session.close(); // interrupts a command still running
            }
        };
    }
}
