package dev.syncline.core.installation;

import java.util.Objects;

/**
 * A token an App signed to call the PIM does not prove that the App is calling for an installation that may
 * call. Its message says why, for the PIM to pass on to the App; it never quotes the token or a secret.
 */
public final class AppTokenRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** Not a JWT, or a claim of the wrong type. */
        MALFORMED,
        /** A required claim ({@code app_installation_id}, {@code exp}) is missing. */
        MISSING_CLAIM,
        /** No installation has the claimed id. */
        UNKNOWN_INSTALLATION,
        /** Not HS256, or not signed with the installation's shared secret. */
        BAD_SIGNATURE,
        /** Past its {@code exp}. */
        EXPIRED,
        /** Before its {@code nbf} or {@code iat}. */
        NOT_YET_VALID,
        /** The installation is uninstalled or must be reconfigured. */
        INSTALLATION_NOT_ACTIVE
    }

    private final Reason reason;

    public AppTokenRefusedException(Reason reason, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
