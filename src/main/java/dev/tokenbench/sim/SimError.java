package dev.tokenbench.sim;

import io.vertx.core.buffer.Buffer;

import java.util.Map;

/** An error response: status, content type, provider-shaped body and any headers (e.g. retry-after). */
public record SimError(int status, String contentType, Buffer body, Map<String, String> headers) {
}
