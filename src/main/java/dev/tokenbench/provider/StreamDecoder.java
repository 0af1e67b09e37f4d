package dev.tokenbench.provider;

/**
 * Turns one response body, as it arrives, into calls on the request's measurement. Single-threaded; one per
 * request. The buffer is only valid during the call: a decoder copies what it carries over.
 */
public interface StreamDecoder {
    void onBytes(byte[] buf, int off, int len, long arrivalNanos);

    /** The body ended (normally or not); flush what is pending. */
    void onBodyEnd(long arrivalNanos);
}
