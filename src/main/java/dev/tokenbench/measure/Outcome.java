package dev.tokenbench.measure;

/** How a request ended; the names are those of requests.jsonl, run.json and the metrics' outcome label. */
public enum Outcome {
    OK("ok"),
    HTTP_4XX("http_4xx"),
    HTTP_429("http_429"),
    HTTP_5XX("http_5xx"),
    TIMEOUT("timeout"),
    STALL("stall"),
    STREAM_ERROR("stream_error"),
    CONNECT_ERROR("connect_error"),
    PROTOCOL_ERROR("protocol_error"),
    CANCELLED("cancelled");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Outcome ofHttpStatus(int status) {
        if (status == 429) {
            return HTTP_429;
        }
        return status >= 500 ? HTTP_5XX : HTTP_4XX;
    }
}
