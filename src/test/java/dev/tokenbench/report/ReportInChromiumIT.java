package dev.tokenbench.report;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's report as a reader sees it: two demo runs (so the second has a history) and a comparison of both,
 * opened from file:// in headless Chromium (Debian's package, installed by scripts/install-chromium.sh when
 * missing) with networking features off. Checks the rendered DOM, that the browser logged no console error or
 * network attempt, and that light, dark and print renderings are not blank. Screenshots stay in
 * target/report-screenshots/ for a person to look at.
 */
@QuarkusMainIntegrationTest
class ReportInChromiumIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path WORK = Path.of("target", "chromium-it").toAbsolutePath();
    private static final Path SHOTS = Path.of("target", "report-screenshots").toAbsolutePath();

    @BeforeAll
    static void installChromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            Process install = new ProcessBuilder("bash", "scripts/install-chromium.sh").inheritIO().start();
            assertTrue(install.waitFor(10, TimeUnit.MINUTES), "installing chromium took over 10 minutes");
            assertEquals(0, install.exitValue(), "scripts/install-chromium.sh failed");
        }
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing");
        deleteTree(WORK);
        Files.createDirectories(SHOTS);
    }

    @Test
    void theDemoReportRendersWithChartsHeadlineAndHistory(QuarkusMainLauncher launcher) throws Exception {
        Path first = WORK.resolve("runs/demo-1");
        Path second = WORK.resolve("runs/demo-2");
        for (Path out : List.of(first, second)) {
            LaunchResult run = launcher.launch("run", "--out", out.toString(), "-q");
            assertEquals(0, run.exitCode(), run.getOutput() + run.getErrorOutput());
        }
        Path compare = WORK.resolve("compare");
        LaunchResult compared = launcher.launch("compare", first.toString(), second.toString(), "--out",
                compare.toString());
        assertEquals(0, compared.exitCode(), compared.getOutput() + compared.getErrorOutput());

        Path report = second.resolve("report.html");
        Browser dom = chromium(report, "--dump-dom");
        assertEquals(0, dom.exitCode, dom.stderr);
        String html = dom.stdout;
        assertTrue(html.contains("<h1>demo "), "the page rendered: " + html.substring(0, Math.min(300, html.length())));
        assertEquals(7, count(html, "<svg"), "TTFT CDF, stream-TPS CDF, worst-10% bars, timeline, stream shape "
                + "(tokens over time), 2 history charts");
        assertTrue(html.contains("aria-label=\"Tokens over time: a typical and a worst request per target\""),
                "the stream-shape chart");
        for (String target : List.of("openai-direct", "azure-degraded", "bedrock-middle")) {
            assertTrue(html.contains(target), target);
        }
        assertTrue(html.matches("(?s).*azure-degraded (is|looks) [0-9.]+x slower than openai-direct on mean TTFT.*"),
                "the ratio is stated");
        assertTrue(html.contains("95% CI"), "with its significance");
        assertTrue(html.contains("over the last 2 runs"), "history from the sibling run");
        assertNoBrowserComplaints(dom);

        Path light = SHOTS.resolve("demo-report-light.png");
        Path dark = SHOTS.resolve("demo-report-dark.png");
        assertNoBrowserComplaints(screenshot(report, light));
        assertNoBrowserComplaints(screenshot(report, dark, "--force-dark-mode",
                "--blink-settings=preferredColorScheme=0"));
        assertRendered(light, false);
        assertRendered(dark, true);

        Path compareShot = SHOTS.resolve("compare-report-light.png");
        assertNoBrowserComplaints(screenshot(compare.resolve("report.html"), compareShot));
        assertRendered(compareShot, false);

        Path pdf = SHOTS.resolve("demo-report-print.pdf");
        Browser printed = chromium(report, "--no-pdf-header-footer", "--print-to-pdf=" + pdf);
        assertEquals(0, printed.exitCode, printed.stderr);
        byte[] bytes = Files.readAllBytes(pdf);
        assertTrue(bytes.length > 20_000 && new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"),
                "a printed PDF of " + bytes.length + " bytes");
    }

    private record Browser(int exitCode, String stdout, String stderr) {
    }

    private static Browser screenshot(Path page, Path png, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--hide-scrollbars", "--window-size=1280,5600",
                "--screenshot=" + png));
        args.addAll(List.of(extra));
        Browser b = chromium(page, args.toArray(String[]::new));
        assertEquals(0, b.exitCode, b.stderr);
        return b;
    }

    /** One headless Chromium, its own fresh profile, nothing in the background that could reach the network. */
    private static Browser chromium(Path page, String... extra) throws Exception {
        Path profile = Files.createTempDirectory("tokenbench-chromium-");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--enable-logging=stderr",
                "--v=0", "--user-data-dir=" + profile));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path out = Files.createTempFile("chromium-out", ".txt");
        Path err = Files.createTempFile("chromium-err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 90 s: " + command);
            }
            return new Browser(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            deleteTree(profile);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** No script error or console message from the page, and no attempt to load anything. */
    private static void assertNoBrowserComplaints(Browser b) {
        for (String line : b.stderr.lines().toList()) {
            assertFalse(line.contains("CONSOLE") || line.contains("Uncaught"), "console output: " + line);
            assertFalse(line.contains("net::ERR_"), "the page tried to load something: " + line);
        }
    }

    /** Not blank: many colours, much of the page not the background; and the background of the right scheme. */
    private static void assertRendered(Path png, boolean dark) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        int background = image.getRGB(2, 2);
        Set<Integer> colours = new HashSet<>();
        long differing = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb);
                if (rgb != background) {
                    differing++;
                }
            }
        }
        long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
        assertTrue(colours.size() > 50, png + " has only " + colours.size() + " colours");
        assertTrue(differing > sampled / 50, png + ": only " + differing + " of " + sampled + " pixels drawn");
        int luminance = ((background >> 16 & 0xff) * 299 + (background >> 8 & 0xff) * 587 + (background & 0xff) * 114)
                / 1000;
        assertTrue(dark ? luminance < 60 : luminance > 200, png + " background luminance " + luminance);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
