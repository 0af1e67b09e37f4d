package dev.tokenbench.sim;

/** A request the simulator refuses, with the parts of OpenAI's error body. */
public final class SimRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    public final int statusCode;
    public final String type;
    public final String param;
    public final String code;

    public SimRequestException(int statusCode, String message, String param, String code) {
        // No stack trace: this is an answer to the client, not a fault of the simulator.
        super(message, null, false, false);
        this.statusCode = statusCode;
        this.type = "invalid_request_error";
        this.param = param;
        this.code = code;
    }
}
