package dev.tokenbench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupCpuTest {

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(CgroupCpuTest.class.getResource("/cgroup/" + name).toURI());
    }

    private static CgroupCpu found(String version) throws URISyntaxException {
        Path dir = fixture(version);
        return CgroupCpu.find(dir.resolve("proc/cgroup"), dir.resolve("proc/mountinfo"), dir.resolve("root"));
    }

    @Test
    void v1ThrottlingIsReadFromTheCpuHierarchyEvenBesideAnEmptyV2One() throws Exception {
        CgroupCpu cgroup = found("v1");
        assertEquals(1, cgroup.version(), "a hybrid host: the v1 cpu controller holds the figures");
        assertEquals(fixture("v1").resolve("root/sys/fs/cgroup/cpu,cpuacct/kubepods/pod1"), cgroup.dir());
        assertEquals(new CgroupCpu.Throttling(87, 2_367_564_857L), cgroup.read(), "throttled_time is nanoseconds");
        assertEquals(0.5, cgroup.quotaCores(), "cfs_quota_us 50000 over cfs_period_us 100000");
    }

    @Test
    void v2ThrottlingIsReadFromTheUnifiedHierarchy() throws Exception {
        CgroupCpu cgroup = found("v2");
        assertEquals(2, cgroup.version());
        assertEquals(fixture("v2").resolve("root/sys/fs/cgroup/kubepods.slice/pod1"), cgroup.dir());
        assertEquals(new CgroupCpu.Throttling(31, 1_450_000_000L), cgroup.read(), "throttled_usec is microseconds");
        assertEquals(1.5, cgroup.quotaCores(), "cpu.max 150000 100000");
    }

    @Test
    void statLinesOfTheOtherVersionAreNotMistakenForThisOnes() {
        String v2 = "usage_usec 10\nnr_periods 3\nnr_throttled 2\nthrottled_usec 7\n";
        String v1 = "nr_periods 3\nnr_throttled 2\nthrottled_time 7000\n";
        assertEquals(new CgroupCpu.Throttling(2, 7_000), CgroupCpu.parseStat(2, v2));
        assertEquals(new CgroupCpu.Throttling(2, 7_000), CgroupCpu.parseStat(1, v1));
        assertEquals(new CgroupCpu.Throttling(2, 0), CgroupCpu.parseStat(1, v2), "v1 has no throttled_usec");
        assertEquals(CgroupCpu.Throttling.NONE, CgroupCpu.parseStat(2, "usage_usec 10\nuser_usec 5\n"),
                "v2's root cgroup has no quota and no throttling lines");
    }

    @Test
    void noQuotaMeansNoCoreLimit() {
        assertTrue(Double.isNaN(CgroupCpu.parseCpuMax("max 100000\n")));
        assertTrue(Double.isNaN(CgroupCpu.parseCfsQuota("-1\n", "100000\n")));
        assertEquals(0.1, CgroupCpu.parseCpuMax("10000 100000"), 1e-12);
    }

    @Test
    void throttlingDuringARunIsTheDifferenceOfTwoReadings() {
        CgroupCpu.Throttling start = new CgroupCpu.Throttling(10, 5_000_000);
        CgroupCpu.Throttling end = new CgroupCpu.Throttling(14, 12_000_000);
        assertEquals(new CgroupCpu.Throttling(4, 7_000_000), end.since(start));
    }

    @Test
    void aContainersNamespacedCgroupIsReadAtTheMountPoint(@TempDir Path root) throws IOException {
        // In a cgroup namespace the mount's root is the host's path of the container's cgroup, and
        // /proc/self/cgroup says "/": the figures are at the mount point itself.
        Path mountPoint = Files.createDirectories(root.resolve("sys/fs/cgroup"));
        Files.writeString(mountPoint.resolve("cpu.stat"), "nr_throttled 5\nthrottled_usec 300\n");
        CgroupCpu cgroup = CgroupCpu.locate("0::/\n",
                "29 22 0:26 /kubepods.slice/pod9 /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n", root);
        assertEquals(mountPoint, cgroup.dir());
        assertEquals(new CgroupCpu.Throttling(5, 300_000), cgroup.read());
    }

    @Test
    void aMountPointWithASpaceIsUnescaped(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cg roups/cpu/job"));
        CgroupCpu cgroup = CgroupCpu.locate("3:cpu:/job\n",
                "36 30 0:33 / /cg\\040roups/cpu rw - cgroup cgroup rw,cpu\n", root);
        assertEquals(dir, cgroup.dir());
    }

    @Test
    void withoutACpuControllerThereIsNoCgroup(@TempDir Path root) throws IOException {
        assertNull(CgroupCpu.locate("4:memory:/x\n", "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
                root));
        Files.writeString(root.resolve("cgroup"), "0::/\n");
        Files.writeString(root.resolve("mountinfo"), "22 1 0:21 / /sys rw - sysfs sysfs rw\n");
        assertNull(CgroupCpu.find(root.resolve("cgroup"), root.resolve("mountinfo"), root));
        assertNull(CgroupCpu.find(root.resolve("missing"), root.resolve("mountinfo"), root), "not Linux");
    }
}
