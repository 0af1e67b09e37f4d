package dev.tokenbench.run;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a request whether its connection was opened for it, and when that connection became ready; and gives it the
 * connection's socket channel with its {@link SendStamp}, so that it can send at once and read when its bytes went to
 * the socket. Touched once per new connection and once per request, never per event.
 */
final class ConnectionTracker {
    private final Map<HttpConnection, Long> unclaimedReadyNanos = new ConcurrentHashMap<>();
    private final Map<HttpConnection, Socket> sockets = new ConcurrentHashMap<>();

    /** A connection's channel and the stamp next to its socket. */
    record Socket(Channel channel, SendStamp stamp) {
    }

    void onConnected(HttpConnection connection) {
        unclaimedReadyNanos.put(connection, System.nanoTime());
        if (connection instanceof ConnectionBase base) {
            Channel channel = base.channel();
            SendStamp stamp = new SendStamp();
            // Before Vert.x's handler, after the HTTP codec (which encodes on write): a flush reaches it after the
            // request is encoded, just before the socket.
            if (channel.pipeline().get("handler") != null) {
                channel.pipeline().addBefore("handler", "tokenbench-send-stamp", stamp);
            } else {
                channel.pipeline().addFirst("tokenbench-send-stamp", stamp);
            }
            sockets.put(connection, new Socket(channel, stamp));
        }
        connection.closeHandler(v -> {
            unclaimedReadyNanos.remove(connection);
            sockets.remove(connection);
        });
    }

    /** The ready time of a connection no request has used yet, or null when it was reused. */
    Long claim(HttpConnection connection) {
        return connection == null ? null : unclaimedReadyNanos.remove(connection);
    }

    /** The connection's socket, or null when it is not a Vert.x connection over a Netty channel. */
    Socket socket(HttpConnection connection) {
        return connection == null ? null : sockets.get(connection);
    }
}
