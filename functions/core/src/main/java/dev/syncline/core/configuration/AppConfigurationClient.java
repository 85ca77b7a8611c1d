package dev.syncline.core.configuration;

import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Calls an App's configuration endpoints, each request signed like every other App call. Bodies are bounded;
 * an answer that is not of the documented shape is a {@link Answer.Failed}, like a 5xx or a timeout.
 */
public interface AppConfigurationClient {

    /** {@code GET {appUrl}/configuration}: the stored steps, an array indexed like the schema's steps. */
    Answer readConfiguration(HttpUrl appUrl, AppTokenClaims claims, SharedSecret secret);

    /** {@code POST {appUrl}/configuration} with {@code {"index": index, "configuration": configuration}}. */
    Answer submitConfiguration(HttpUrl appUrl, int index, String configuration, AppTokenClaims claims,
                               SharedSecret secret);

    /** {@code GET {appUrl}/dictionary/{name}}: {@code {"dictionary": [{"id", "label", ...}]}}. */
    Answer readDictionary(HttpUrl appUrl, String name, AppTokenClaims claims, SharedSecret secret);

    /** How an App answered one configuration call. */
    sealed interface Answer {

        /**
         * The App's stored configuration.
         *
         * @param json the array as the App wrote it
         * @param steps each non-null step as raw JSON, by index
         */
        record Stored(String json, Map<Integer, String> steps) implements Answer {
            public Stored {
                Objects.requireNonNull(json, "json");
                steps = Map.copyOf(steps);
            }

            /** The indexes holding a non-null step. */
            public Set<Integer> storedSteps() {
                return steps.keySet();
            }

            /** Step {@code index} as raw JSON, or {@code null} when it is not stored. */
            public String step(int index) {
                return steps.get(index);
            }
        }

        /** A step accepted (2xx). */
        record Accepted() implements Answer {
        }

        /** A dictionary's entries: the {@code dictionary} array as the App wrote it. */
        record Dictionary(String entries) implements Answer {
            public Dictionary {
                Objects.requireNonNull(entries, "entries");
            }
        }

        /** A step refused with 422 and its violations. */
        record Rejected(List<ConfigurationViolation> violations) implements Answer {
            public Rejected {
                violations = List.copyOf(violations);
            }
        }

        /** Anything else: no answer, another status, or a body of the wrong shape (as an excerpt). */
        record Failed(AppCallOutcome outcome) implements Answer {
            public Failed {
                Objects.requireNonNull(outcome, "outcome");
            }
        }
    }
}
