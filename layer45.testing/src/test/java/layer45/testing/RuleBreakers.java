package layer45.testing;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

/** Modules that each break one rule on send, and leave recv alone. */
final class RuleBreakers {

    private RuleBreakers() {
    }

    /** A module whose send is given per test. */
    interface SendPath extends Customization {
        @Override
        default Verdict recv(Chunk source, Output output, Flow flow) {
            return Verdict.NO_CUSTOMIZATION;
        }
    }

    /** Rule 1. */
    static final class ReturnsNull implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            return null;
        }
    }

    /** Rule 2, caught by the tester at once. */
    static final class KeepsTheChunk implements SendPath {
        private Chunk last;

        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            last = source;
            return Verdict.NO_CUSTOMIZATION;
        }

        Chunk last() {
            return last;
        }
    }

    /** Rule 2, kept in the per-flow state. */
    static final class KeepsTheOutputInItsState implements SendPath {
        static final class Memory {
            Output output;
        }

        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            flow.state(Memory::new).output = output;
            return Verdict.NO_CUSTOMIZATION;
        }
    }

    /** Rule 2: a kept Output used at the next call, which the runtime itself catches. */
    static final class UsesAKeptOutputLater implements SendPath {
        private volatile Output kept;

        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            Output earlier = kept;
            if (earlier != null) {
                earlier.writeByte('x');
            }
            return Verdict.NO_CUSTOMIZATION;
        }

        void keep(Output output) {
            kept = output;
        }
    }

    /** Rule 3: a copy length beyond what was written. */
    static final class DeliversTooMuch implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            output.write(new byte[] { 'a', 'b' });
            return output.deliver(5);
        }
    }

    /** Rule 3: writes past the output's limit. */
    static final class WritesPastTheLimit implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            output.write(new byte[output.maxLength() + 1]);
            return Verdict.DELIVER;
        }
    }

    /** Rule 4. */
    static final class Throws implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            throw new IllegalStateException("no frame here");
        }
    }

    /** Rule 4 followed: an error verdict, not a rule break. */
    static final class ReportsAnError implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            return output.deliver(-71);
        }
    }

    /** Rule 7. */
    static final class AdvancesTooFar implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            source.advance(source.remaining() + 1);
            return Verdict.DELIVER;
        }
    }

    /** Rule 13. */
    static final class HoldsWithTheWrongVerdict implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            source.holdUnread();
            return Verdict.NO_CUSTOMIZATION;
        }
    }

    /** Rule 14. */
    static final class Sleeps implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Verdict.NO_CUSTOMIZATION;
        }
    }

    /** Rule 15. */
    static final class HoldsEverything implements SendPath {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            source.holdUnread();
            return Verdict.DROP;
        }
    }
}
