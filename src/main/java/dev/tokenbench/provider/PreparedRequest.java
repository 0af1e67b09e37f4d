package dev.tokenbench.provider;

import java.util.Map;

/**
 * A request built once per (target, prompt) before the run starts, so nothing is encoded on the hot path.
 * Headers include credentials: {@link #toString()} never shows them.
 *
 * @param absoluteUri the full URL including any query
 * @param headers     every header but tokenbench's per-request id
 * @param body        the request body (UTF-8 JSON for the JSON APIs)
 */
public record PreparedRequest(String method, String absoluteUri, Map<String, String> headers, byte[] body) {
    @Override
    public String toString() {
        return method + " " + absoluteUri + " (" + body.length + " bytes, " + headers.size() + " headers)";
    }
}
