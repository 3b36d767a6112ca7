package layer45.runtime.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.junit.jupiter.api.Test;

/** The control socket's Gogo sessions: which command an unscoped name runs when two scopes have it. */
class GogoShellTest {

    /** Commands of one scope, answering with the scope's name. */
    public static final class Commands {
        private final String scope;

        Commands(String scope) {
            this.scope = scope;
        }

        public String activate(String module) {
            return scope + " activates " + module;
        }

        public String deploy(String jar) {
            return scope + " deploys " + jar;
        }
    }

    @Test
    void anUnscopedNameIsTheRuntimesOwnCommandWhenTheOrchestratorHasOneToo() throws Exception {
        CommandProcessorImpl processor = new CommandProcessorImpl(null);
        // other scopes with the same name, before and after: the first found in Gogo's table must not decide
        for (String scope : java.util.List.of("nco", "a", "b", "c", "x", "y", "z", "nco2", "obr", "scr")) {
            processor.addCommand(scope, new Commands(scope), "activate");
        }
        processor.addCommand("l45", new Commands("l45"), "activate");
        processor.addCommand("nco", new Commands("nco"), "deploy");
        try (Shell.Session session = new GogoShell(processor).open(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            assertEquals("l45 activates m", session.execute("activate m"));
            assertEquals("nco activates m", session.execute("nco:activate m"));
            assertEquals("nco deploys j", session.execute("deploy j"), "a name only one scope has is found anywhere");
        }
    }
}
