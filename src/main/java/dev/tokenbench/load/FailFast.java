package dev.tokenbench.load;

/**
 * Stops a target whose first requests all fail in a way more requests cannot change: HTTP 401 or 403 (a wrong
 * key, no access) or 404 (a wrong base-url, model or deployment). Once {@code firstRequests} requests in a row
 * from the target's first have, it {@link #tripped() trips}: the target starts no more requests and the run says
 * why. One request that ends any other way (ok, 429, 5xx, a timeout) settles it for the run.
 *
 * <p>Threads: {@link #record} on the record writer's thread only (once per finished request, never per event);
 * {@link #tripped()} and {@link #reason()} anywhere.
 */
public final class FailFast {
    /** How many first requests must all fail so, unless told otherwise. */
    public static final int DEFAULT_FIRST_REQUESTS = 5;
    /** Never trips. */
    public static final FailFast OFF = new FailFast(0);

    private final int firstRequests;
    private int unauthorized;
    private int forbidden;
    private int notFound;
    private boolean settled;
    private volatile String reason;

    /** @param firstRequests how many first requests must all fail with 401, 403 or 404; 0 turns it off */
    public FailFast(int firstRequests) {
        if (firstRequests < 0) {
            throw new IllegalArgumentException("fail-fast must be 0 (off) or a number of requests, found "
                    + firstRequests);
        }
        this.firstRequests = firstRequests;
        this.settled = firstRequests == 0;
    }

    /** One finished request (its last attempt; warm-ups too): its HTTP status, 0 when none came. */
    public void record(int httpStatus) {
        if (settled) {
            return;
        }
        switch (httpStatus) {
            case 401 -> unauthorized++;
            case 403 -> forbidden++;
            case 404 -> notFound++;
            default -> {
                settled = true;
                return;
            }
        }
        if (unauthorized + forbidden + notFound >= firstRequests) {
            settled = true;
            reason = describe();
        }
    }

    public boolean tripped() {
        return reason != null;
    }

    /** Why the target stopped, with what to check; null while it has not. */
    public String reason() {
        return reason;
    }

    private String describe() {
        StringBuilder why = new StringBuilder("its first ").append(firstRequests)
                .append(firstRequests == 1 ? " request failed with " : " requests all failed with ");
        int kinds = (unauthorized > 0 ? 1 : 0) + (forbidden > 0 ? 1 : 0) + (notFound > 0 ? 1 : 0);
        StringBuilder statuses = new StringBuilder("HTTP ");
        append(statuses, 401, unauthorized, kinds);
        append(statuses, 403, forbidden, kinds);
        append(statuses, 404, notFound, kinds);
        why.append(statuses).append(": check ");
        if (unauthorized + forbidden > 0) {
            why.append("its api-key or auth (and that the key may use this model)");
        }
        if (notFound > 0) {
            why.append(unauthorized + forbidden > 0 ? "; and " : "").append("its base-url and model or deployment");
        }
        return why.toString();
    }

    /** {@code 401}, or {@code 401 (3)} when the requests ended with more than one of the statuses. */
    private static void append(StringBuilder statuses, int status, int count, int kinds) {
        if (count == 0) {
            return;
        }
        statuses.append(statuses.length() > "HTTP ".length() ? ", " : "").append(status);
        if (kinds > 1) {
            statuses.append(" (").append(count).append(')');
        }
    }
}
