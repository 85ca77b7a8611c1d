package dev.syncline.adapters.config;

/** A function started without a setting it needs; the message names the variable. */
public final class MissingConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MissingConfigurationException(String message) {
        super(message);
    }
}
