package dev.syncline.core.configuration;

import dev.syncline.core.SynclineException;
import java.util.List;
import java.util.Objects;

/**
 * A configuration step was refused, by the step's JSON Schema or by the App (its 422): the API answers 422 with
 * the {@link #configurationViolations} in the protocol's shape, unchanged, so that each reaches its field.
 */
public final class ConfigurationRejectedException extends SynclineException.Invalid {

    private static final long serialVersionUID = 1L;

    /** Who refused the step. */
    public enum RefusedBy {
        /** The step's JSON Schema, checked before the App was called. */
        SCHEMA,
        /** The App, answering 422. */
        APP
    }

    private final RefusedBy refusedBy;
    // Domain exceptions are never serialized (the API answers with JSON).
    private final transient List<ConfigurationViolation> configurationViolations;

    public ConfigurationRejectedException(String subject, RefusedBy refusedBy,
                                          List<ConfigurationViolation> violations) {
        super(subject, violations.stream()
                .map(v -> new Violation(v.propertyPath().isEmpty() ? "configuration" : v.propertyPath(),
                        v.propertyPath().isEmpty() ? v.title() : v.propertyPath() + ": " + v.title()))
                .toList());
        this.refusedBy = Objects.requireNonNull(refusedBy, "refusedBy");
        this.configurationViolations = List.copyOf(violations);
    }

    public RefusedBy refusedBy() {
        return refusedBy;
    }

    /** Every refused field, as the protocol shapes it, in the order found or answered. */
    public List<ConfigurationViolation> configurationViolations() {
        return configurationViolations;
    }
}
