package dev.tokenbench.store;

/** The store could not read or write; the message names what (never a credential: JDBC URLs carry none here). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
