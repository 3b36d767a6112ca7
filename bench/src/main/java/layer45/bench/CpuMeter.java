package layer45.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CPU readings the benchmarks take at the edges of a load's measurement window. */
final class CpuMeter {

    /** Per-thread CPU time and allocated bytes, for the stack's loop thread. */
    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private CpuMeter() {
    }

    /** @return the CPU time of this whole JVM, in nanoseconds */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** @return the stack's loop thread ({@code layer45-net <link>}), which must be the only one alive */
    static Thread loopThread(String link) {
        List<Thread> found = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("layer45-net " + link) && t.isAlive()).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one stack loop thread 'layer45-net " + link + "', found "
                    + found.size());
        }
        return found.get(0);
    }

    /**
     * The machine's CPU use so far, in jiffies of all cores: total, busy (all but idle and iowait) and softirq.
     * Two readings tell how many cores were busy in between, whoever kept them so.
     */
    record Machine(long total, long busy, long softirq) {

        static Machine read() throws IOException {
            long total = 0;
            long busy = 0;
            long softirq = 0;
            // /proc/stat, first line: cpu user nice system idle iowait irq softirq steal guest guest_nice
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                long value = Long.parseLong(fields[i]);
                total += value;
                if (i != 4 && i != 5) {
                    busy += value;
                }
                if (i == 7) {
                    softirq = value;
                }
            }
            return new Machine(total, busy, softirq);
        }

        /** @return the cores busy on average since {@code before}; NaN if no jiffy passed */
        double busyCores(Machine before) {
            return cores(busy - before.busy, before);
        }

        /** @return the cores busy with softirqs on average since {@code before}; NaN if no jiffy passed */
        double softirqCores(Machine before) {
            return cores(softirq - before.softirq, before);
        }

        private double cores(long jiffiesOf, Machine before) {
            long jiffies = total - before.total;
            return jiffies == 0 ? Double.NaN
                    : (double) jiffiesOf / jiffies * Runtime.getRuntime().availableProcessors();
        }
    }
}
