package dev.pixelgrad.tensor;

/** A backend that cannot be used here; the message is one line a user can act on. */
public class BackendUnavailableException extends Exception {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
