package dev.tokenbench.cli;

/** The exit codes of DESIGN.md §4. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int SLO_BREACHED = 1;
    public static final int BAD_INPUT = 2;
    public static final int RUN_FAILED = 3;

    private ExitCodes() {
    }
}
