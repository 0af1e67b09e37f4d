package dev.tokenbench.store;

/**
 * A run saved under an id the store already holds for another run: not a passing fault of the store (retrying
 * cannot help), and neither run is lost: the stored one stays, the caller still has the other.
 */
public final class RunIdTakenException extends StoreException {
    public RunIdTakenException(String message) {
        super(message, null);
    }
}
