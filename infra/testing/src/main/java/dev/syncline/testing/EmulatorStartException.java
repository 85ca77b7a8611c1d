package dev.syncline.testing;

/** An emulator could not start; the message says what to install or change. */
public final class EmulatorStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmulatorStartException(String message) {
        super(message);
    }

    public EmulatorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
