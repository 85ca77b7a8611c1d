package dev.syncline.core.configuration;

import java.util.Objects;

/**
 * One field of a configuration step that was refused, in the protocol's shape, so that the dashboard shows a
 * violation found by Syncline's schema check and one answered by the App the same way, at the same field.
 *
 * @param propertyPath the field, e.g. {@code channel} or {@code mapping[1].attribute}; empty for the step as a
 *     whole
 * @param title what is wrong, for people
 * @param template the message before its parameters were filled in; equal to {@code title} when there are none
 * @param parameters the template's parameters as raw JSON object text, relayed as the App wrote them
 */
public record ConfigurationViolation(String propertyPath, String title, String template, String parameters) {

    public ConfigurationViolation {
        Objects.requireNonNull(propertyPath, "propertyPath");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(parameters, "parameters");
    }
}
