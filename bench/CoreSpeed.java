/**
 * How fast one core of this machine is right now, for reading bench/e2e.sh's figures on a shared host: the best
 * thread-CPU time of a plain byte-scanning loop, in ns per byte. A quiet modern core takes about 0.3-0.5; a figure
 * several times higher means the host is contended and the CPU-per-token figures are inflated by as much.
 * Run as a single-file program: {@code java bench/CoreSpeed.java}.
 */
public class CoreSpeed {
    public static void main(String[] args) {
        byte[] bytes = new byte[1 << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long found = 0;
        long bestNanos = Long.MAX_VALUE;
        for (int round = 0; round < 400; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (byte b : bytes) {
                if (b == '\n') {
                    found++;
                }
            }
            long spent = threads.getCurrentThreadCpuTime() - start;
            if (round >= 100) {
                bestNanos = Math.min(bestNanos, spent);
            }
        }
        System.out.printf("core speed: %.2f ns/byte (byte scan; a quiet core: 0.3-0.5) [%d]%n",
                bestNanos / (double) bytes.length, found);
    }
}
