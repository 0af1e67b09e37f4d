package dev.tokenbench.run;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stop-the-world GC pauses while a run goes on, from the JVM's GC notifications. Collectors that report whole
 * concurrent cycles ("G1 Concurrent GC", "ZGC Cycles", "Shenandoah Cycles") are not pauses and are left out. Where
 * the notifications are missing (a native image without them) the figures are NaN.
 */
final class GcPauses implements AutoCloseable {
    private final AtomicLong totalMicros = new AtomicLong();
    private final AtomicLong maxMicros = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (isPause(info.getGcName())) {
                record(info.getGcInfo().getDuration() * 1_000);
            }
        }
    };
    private boolean available;

    /** Starts listening; a JVM without the notifications leaves it unavailable. */
    static GcPauses start() {
        GcPauses pauses = new GcPauses();
        try {
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (bean instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(pauses.listener, null, null);
                    pauses.emitters.add(emitter);
                    pauses.available = true;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            pauses.close();
            pauses.available = false;
        }
        return pauses;
    }

    static boolean isPause(String collectorName) {
        return !(collectorName.contains("Cycles") || collectorName.contains("Concurrent"));
    }

    void record(long pauseMicros) {
        count.incrementAndGet();
        totalMicros.addAndGet(pauseMicros);
        maxMicros.accumulateAndGet(pauseMicros, Math::max);
    }

    /** Pauses heard of; each one's duration comes in whole milliseconds, so ZGC's sub-ms pauses count as 0 ms. */
    long count() {
        return count.get();
    }

    double totalMs() {
        return available ? totalMicros.get() / 1e3 : Double.NaN;
    }

    double maxMs() {
        return available ? maxMicros.get() / 1e3 : Double.NaN;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (Exception ignored) {
                // already gone: nothing more will be counted either way
            }
        }
        emitters.clear();
    }
}
