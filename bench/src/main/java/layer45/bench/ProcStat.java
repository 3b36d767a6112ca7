package layer45.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU times of another process, from {@code /proc/PID/stat}. */
final class ProcStat {

    private static final long CLOCK_TICKS = 100; // USER_HZ, the unit of /proc/PID/stat's times

    private ProcStat() {
    }

    /** @return the process's user and system time, all threads, in nanoseconds: {@code [total, user]} */
    static long[] cpuAndUserNanos(long pid) throws IOException {
        // utime and stime are fields 14 and 15, counted after the command's closing ')'
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return new long[] {(utime + stime) * (1_000_000_000L / CLOCK_TICKS), utime * (1_000_000_000L / CLOCK_TICKS)};
    }

    /** @return the process's user and system time, all threads, in nanoseconds */
    static long cpuNanos(long pid) throws IOException {
        return cpuAndUserNanos(pid)[0];
    }
}
