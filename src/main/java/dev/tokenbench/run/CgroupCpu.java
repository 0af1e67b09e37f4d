package dev.tokenbench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU controller of the cgroup this process is in (cgroup v1 or v2), found from /proc/self/cgroup and
 * /proc/self/mountinfo: how often and how long its quota throttled it, and how many cores the quota allows.
 * Where there is no such cgroup (not Linux, no cpu controller mounted) {@link #find} gives null.
 */
public final class CgroupCpu {
    /** The files of a cgroup that hold the figures: {@code cpu.stat} in both versions. */
    private static final String STAT = "cpu.stat";

    private final int version;
    private final Path dir;

    CgroupCpu(int version, Path dir) {
        this.version = version;
        this.dir = dir;
    }

    /** Throttling counters at one moment; {@link #throttledNanos} is cumulative since the cgroup was made. */
    public record Throttling(long periodsThrottled, long throttledNanos) {
        public static final Throttling NONE = new Throttling(0, 0);

        public Throttling since(Throttling earlier) {
            return new Throttling(periodsThrottled - earlier.periodsThrottled, throttledNanos - earlier.throttledNanos);
        }
    }

    public int version() {
        return version;
    }

    public Path dir() {
        return dir;
    }

    /** The process's own cgroup, or null. */
    public static CgroupCpu find() {
        return find(Path.of("/proc/self/cgroup"), Path.of("/proc/self/mountinfo"), Path.of("/"));
    }

    /** As {@link #find()}, from the given files; mount points are resolved under {@code root} (a test's folder). */
    static CgroupCpu find(Path procCgroup, Path mountinfo, Path root) {
        try {
            if (!Files.isReadable(procCgroup) || !Files.isReadable(mountinfo)) {
                return null;
            }
            CgroupCpu found = locate(Files.readString(procCgroup), Files.readString(mountinfo), root);
            return found != null && Files.isReadable(found.dir.resolve(STAT)) ? found : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Where the process's cpu controller lives. A v1 hierarchy with {@code cpu} wins over the v2 one (a hybrid
     * host mounts v2 without controllers beside the v1 ones); v2 is used when no v1 hierarchy holds cpu.
     */
    static CgroupCpu locate(String procCgroup, String mountinfo, Path root) {
        String v1Path = null;
        String v2Path = null;
        for (String line : procCgroup.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                v2Path = parts[2].trim();
            } else if (hasToken(parts[1], "cpu")) {
                v1Path = parts[2].trim();
            }
        }
        for (String line : mountinfo.split("\n")) {
            Mount mount = Mount.parse(line);
            if (mount == null) {
                continue;
            }
            if (v1Path != null && mount.fsType.equals("cgroup") && hasToken(mount.superOptions, "cpu")) {
                return new CgroupCpu(1, resolve(root, mount, v1Path));
            }
        }
        if (v2Path == null) {
            return null;
        }
        for (String line : mountinfo.split("\n")) {
            Mount mount = Mount.parse(line);
            if (mount != null && mount.fsType.equals("cgroup2")) {
                return new CgroupCpu(2, resolve(root, mount, v2Path));
            }
        }
        return null;
    }

    /**
     * The cgroup's folder: its path from /proc/self/cgroup under the mount point, less the mount's own root (a
     * container whose cgroup namespace hides the host's path sees its own cgroup at the mount point).
     */
    private static Path resolve(Path root, Mount mount, String cgroupPath) {
        String relative;
        if (mount.root.equals("/")) {
            relative = cgroupPath;
        } else if (cgroupPath.equals(mount.root)) {
            relative = "/";
        } else if (cgroupPath.startsWith(mount.root + "/")) {
            relative = cgroupPath.substring(mount.root.length());
        } else {
            relative = "/";
        }
        Path mountPoint = root.resolve(mount.mountPoint.substring(1));
        String inside = relative.startsWith("/") ? relative.substring(1) : relative;
        Path dir = inside.isEmpty() ? mountPoint : mountPoint.resolve(inside);
        // A path the namespace does not show (a cgroup of the host's) is read at the mount point instead.
        return Files.isDirectory(dir) ? dir : mountPoint;
    }

    /** The counters now; {@link Throttling#NONE} when the file cannot be read. */
    public Throttling read() {
        try {
            return parseStat(version, Files.readString(dir.resolve(STAT)));
        } catch (IOException | RuntimeException e) {
            return Throttling.NONE;
        }
    }

    /** The cores the quota allows, or NaN when there is no quota. */
    public double quotaCores() {
        try {
            if (version == 2) {
                Path max = dir.resolve("cpu.max");
                return Files.isReadable(max) ? parseCpuMax(Files.readString(max)) : Double.NaN;
            }
            Path quota = dir.resolve("cpu.cfs_quota_us");
            Path period = dir.resolve("cpu.cfs_period_us");
            if (!Files.isReadable(quota) || !Files.isReadable(period)) {
                return Double.NaN;
            }
            return parseCfsQuota(Files.readString(quota), Files.readString(period));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * cpu.stat. v2: {@code nr_throttled} and {@code throttled_usec} (microseconds); v1: {@code nr_throttled} and
     * {@code throttled_time} (nanoseconds). A cgroup without a quota (v2's root) has no such lines: zero.
     */
    static Throttling parseStat(int version, String cpuStat) {
        long periods = 0;
        long nanos = 0;
        for (String line : cpuStat.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length != 2) {
                continue;
            }
            switch (kv[0]) {
                case "nr_throttled" -> periods = Long.parseLong(kv[1]);
                case "throttled_usec" -> {
                    if (version == 2) {
                        nanos = Long.parseLong(kv[1]) * 1_000;
                    }
                }
                case "throttled_time" -> {
                    if (version == 1) {
                        nanos = Long.parseLong(kv[1]);
                    }
                }
                default -> {
                }
            }
        }
        return new Throttling(periods, nanos);
    }

    /** v2's cpu.max: {@code "$MAX $PERIOD"}, MAX {@code max} when unlimited. */
    static double parseCpuMax(String cpuMax) {
        String[] parts = cpuMax.trim().split("\\s+");
        if (parts.length != 2 || parts[0].equals("max")) {
            return Double.NaN;
        }
        return quotaOverPeriod(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    /** v1's cpu.cfs_quota_us (-1 when unlimited) over cpu.cfs_period_us. */
    static double parseCfsQuota(String quotaUs, String periodUs) {
        return quotaOverPeriod(Long.parseLong(quotaUs.trim()), Long.parseLong(periodUs.trim()));
    }

    private static double quotaOverPeriod(long quota, long period) {
        return quota <= 0 || period <= 0 ? Double.NaN : (double) quota / period;
    }

    private static boolean hasToken(String commaSeparated, String token) {
        for (String t : commaSeparated.split(",")) {
            if (t.equals(token)) {
                return true;
            }
        }
        return false;
    }

    /** One line of /proc/self/mountinfo: {@code id parent major:minor root mountpoint options [tags] - type source superoptions}. */
    private record Mount(String root, String mountPoint, String fsType, String superOptions) {
        static Mount parse(String line) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                return null;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                return null;
            }
            return new Mount(unescape(before[3]), unescape(before[4]), after[0], after[2]);
        }

        /** mountinfo writes a space, tab, newline or backslash in a path as an octal escape. */
        private static String unescape(String field) {
            if (field.indexOf('\\') < 0) {
                return field;
            }
            StringBuilder out = new StringBuilder(field.length());
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '\\' && i + 3 < field.length()) {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
