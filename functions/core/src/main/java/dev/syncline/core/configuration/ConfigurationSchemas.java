package dev.syncline.core.configuration;

import java.util.List;

/**
 * Reads an App's {@code configuration_schema} (raw JSON text: a list of JSON Schemas, one per step) and checks a
 * step's configuration against its schema.
 */
public interface ConfigurationSchemas {

    /** How many configuration steps the schema list has. */
    int steps(String configurationSchema);

    /**
     * Checks {@code configuration} (raw JSON text) against step {@code index}'s schema.
     *
     * @return every violation found, empty when the step is valid
     */
    List<ConfigurationViolation> validate(String configurationSchema, int index, String configuration);

    /**
     * The stored steps (raw JSON array) without the values of properties the schema shows as secrets ({@code
     * "widget": "password"}), so that the API never answers them.
     */
    String withoutSecrets(String configurationSchema, String stored);

    /**
     * Step {@code index}'s {@code submitted} configuration with the secrets it leaves out taken from {@code
     * storedStep} (raw JSON, {@code null} when nothing is stored): a form that never shows a stored secret can
     * still submit a step without typing it again.
     */
    String keepingSecrets(String configurationSchema, int index, String submitted, String storedStep);
}
