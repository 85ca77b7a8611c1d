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
}
