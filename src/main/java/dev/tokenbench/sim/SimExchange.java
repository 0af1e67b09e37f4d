package dev.tokenbench.sim;

import io.vertx.core.http.HttpServerResponse;

/**
 * Who a simulated response is for and where it goes: what both response writers, the paced {@link SimStream} and
 * the {@link AllOutStream}, start from.
 *
 * @param log           where the response's truth is recorded when it ends
 * @param response      the response being written
 * @param requestId     the request's id, echoed in the log
 * @param scenarioName  the scenario serving it
 * @param receivedNanos when the request arrived
 * @param ended         runs once when the response ends or the client goes away
 */
record SimExchange(SimLog log, HttpServerResponse response, String requestId, String scenarioName, long receivedNanos,
        Runnable ended) {
}
