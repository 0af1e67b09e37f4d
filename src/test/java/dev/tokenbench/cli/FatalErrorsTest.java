package dev.tokenbench.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one line a failure of tokenbench itself prints before exit 3. */
class FatalErrorsTest {
    @Test
    void anInternalFailureIsOneLineWithItsMessageOrItsClass() {
        assertEquals("tokenbench: the store is gone: see data/", CommandLineSetup.oneLine(
                new IllegalStateException("the store is gone:\n  see data/\n")));
        assertEquals("tokenbench: java.lang.NullPointerException", CommandLineSetup.oneLine(
                new NullPointerException()));
    }

    @Test
    void outOfMemoryNamesTheHeapAndWhatToDo() {
        assertEquals("tokenbench: out of memory (Java heap space); the run was stopped (exit 3). Give it more memory "
                + "(TOKENBENCH_JAVA_OPTS=-Xmx2g, or the container's limit) or a smaller load",
                FatalErrors.line(new OutOfMemoryError("Java heap space")));
        assertEquals("tokenbench: the JVM failed (java.lang.StackOverflowError); the run was stopped (exit 3)",
                FatalErrors.line(new StackOverflowError()));
    }
}
