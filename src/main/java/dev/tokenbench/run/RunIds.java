package dev.tokenbench.run;

import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Mints run ids: {@code <yyyyMMdd-HHmmss>-<name>-<suffix>}. The local start time first, so ids sort by time and
 * read at a glance; the suffix is 8 random base-32 characters (40 bits), so that two runs of the same benchmark
 * started in the same second, by two processes or two probes writing to one store, never share an id (nor the
 * request ids and the run directory made from it). Every character is file-name safe.
 */
public final class RunIds {
    /** Characters of the stamp, the two dashes and the suffix around the name: the limit on names counts them. */
    public static final int CHARACTERS_AROUND_NAME = 15 + 1 + 1 + 8;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int SUFFIX_CHARACTERS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    /** A new id for a run of the benchmark called {@code name}, started now. */
    public static String mint(String name) {
        return mint(name, LocalDateTime.now());
    }

    static String mint(String name, LocalDateTime startedAt) {
        StringBuilder id = new StringBuilder(name.length() + CHARACTERS_AROUND_NAME);
        id.append(startedAt.format(STAMP)).append('-').append(name).append('-');
        long bits = RANDOM.nextLong();
        for (int i = 0; i < SUFFIX_CHARACTERS; i++) {
            id.append(BASE32[(int) (bits >>> (5 * i)) & 31]);
        }
        return id.toString();
    }
}
