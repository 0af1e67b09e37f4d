package dev.tokenbench.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The APIs a benchmark file may name, as the loader asks about them (provider/ProviderRegistry is the catalog of a
 * build). Whoever constructs a {@link BenchmarkLoader} passes one.
 */
public interface ApiCatalog {
    /** Every API, in the order messages list them. */
    List<? extends TargetKind> kinds();

    /** The API named {@code api}, or null when there is none. */
    default TargetKind kind(String api) {
        for (TargetKind kind : kinds()) {
            if (kind.name().equals(api)) {
                return kind;
            }
        }
        return null;
    }

    /** The names of every API, in the order messages list them. */
    default List<String> names() {
        List<String> names = new ArrayList<>();
        for (TargetKind kind : kinds()) {
            names.add(kind.name());
        }
        return names;
    }

    /** The names of the APIs that read {@code key} ({@link TargetKind#keys()}). */
    default List<String> readersOf(String key) {
        List<String> names = new ArrayList<>();
        for (TargetKind kind : kinds()) {
            if (kind.keys().contains(key)) {
                names.add(kind.name());
            }
        }
        return names;
    }

    /** The fix for a target whose API does not read {@code key}. */
    default String elsewhereFix(String key) {
        for (TargetKind kind : kinds()) {
            if (kind.keys().contains(key) && kind.elsewhereFix(key) != null) {
                return kind.elsewhereFix(key);
            }
        }
        return key + " is used by " + String.join(", ", readersOf(key)) + " only; remove it";
    }
}
