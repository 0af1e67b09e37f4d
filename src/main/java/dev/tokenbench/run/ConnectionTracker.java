package dev.tokenbench.run;

import io.vertx.core.http.HttpConnection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a request whether its connection was opened for it, and when that connection became ready. Touched once
 * per new connection and once per request, never per event.
 */
final class ConnectionTracker {
    private final Map<HttpConnection, Long> unclaimedReadyNanos = new ConcurrentHashMap<>();

    void onConnected(HttpConnection connection) {
        unclaimedReadyNanos.put(connection, System.nanoTime());
        connection.closeHandler(v -> unclaimedReadyNanos.remove(connection));
    }

    /** The ready time of a connection no request has used yet, or null when it was reused. */
    Long claim(HttpConnection connection) {
        return connection == null ? null : unclaimedReadyNanos.remove(connection);
    }
}
