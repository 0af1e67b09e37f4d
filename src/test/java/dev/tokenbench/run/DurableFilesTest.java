package dev.tokenbench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurableFilesTest {
    @Test
    void aFileIsReplacedWholeAndNoTmpStays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.json");
        Files.writeString(file, "old");
        DurableFiles.replace(file, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(file));
        assertFalse(Files.exists(dir.resolve("run.json.tmp")));
    }

    @Test
    void aFailureHalfWayRemovesTheTmpKeepsTheOldFileAndNamesTheFileAndTheCause(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        Files.writeString(file, "the last whole report");
        WriteFailure failure = assertThrows(WriteFailure.class, () -> DurableFiles.replace(file, out -> {
            out.write("<html>half".getBytes(StandardCharsets.UTF_8));
            out.flush();
            throw new IOException("No space left on device");
        }));
        assertEquals("writing " + file + " failed: No space left on device", failure.getMessage());
        assertEquals(file, failure.file());
        assertEquals("the last whole report", Files.readString(file));
        assertFalse(Files.exists(dir.resolve("report.html.tmp")), "the .tmp is removed");
    }

    @Test
    void aStreamClosedByTheWriterStillGetsForcedAndRenamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plan.json");
        DurableFiles.replace(file, out -> {
            out.write('{');
            out.write('}');
            out.close(); // as Jackson's writeValue does
        });
        assertEquals("{}", Files.readString(file));
    }
}
