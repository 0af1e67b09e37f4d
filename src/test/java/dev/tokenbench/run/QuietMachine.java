package dev.tokenbench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits (bounded) until this machine's cores are mostly idle, from /proc/stat, before an accuracy test measures:
 * on a 2-core machine the processes an earlier test left behind (a browser's helpers exiting, a JVM's last GC)
 * compete with the client and the simulator for the same cores, and their noise is not the client's error. Where
 * /proc/stat cannot be read, or the machine stays busy past the bound, it returns and the test measures anyway.
 */
final class QuietMachine {
    private static final Path STAT = Path.of("/proc/stat");

    private QuietMachine() {
    }

    /** @return the idle share of the last second sampled (1.0 where it could not be read) */
    static double await(double idleShare, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        double idle = 1.0;
        while (System.nanoTime() < deadline) {
            long[] before = cpu();
            Thread.sleep(1000);
            long[] after = cpu();
            if (before == null || after == null || after[0] == before[0]) {
                return 1.0;
            }
            idle = (double) (after[1] - before[1]) / (after[0] - before[0]);
            if (idle >= idleShare) {
                return idle;
            }
        }
        return idle;
    }

    /** {total, idle + iowait} jiffies of all cores, or null. */
    private static long[] cpu() {
        try {
            String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
