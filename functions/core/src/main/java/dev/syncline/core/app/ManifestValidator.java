package dev.syncline.core.app;

import static dev.syncline.core.SynclineException.quote;

import dev.syncline.core.SynclineException;
import dev.syncline.core.SynclineException.Violation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a {@link ManifestDocument} against the protocol's rules, collecting every violation so
 * that an App author fixes the manifest in one round trip, not one error at a time.
 */
public final class ManifestValidator {

    private static final String SEMVER_RULE =
            "a semantic version MAJOR.MINOR.PATCH such as 1.4.0 or 2.0.0-beta.1"
                    + " (numbers without leading zeros, no 'v' prefix)";

    private final List<Violation> violations = new ArrayList<>();
    private final AppUrlPolicy urlPolicy;

    private ManifestValidator(AppUrlPolicy urlPolicy) {
        this.urlPolicy = urlPolicy;
    }

    /**
     * The manifest as registering it would store it; also what the App conformance kit checks an
     * App author's manifest with.
     *
     * @throws SynclineException.Invalid listing every rule the document breaks, a {@code url} the
     *     policy refuses included
     */
    public static Manifest validate(
            String appId, ManifestDocument document, Instant registeredAt, AppUrlPolicy urlPolicy) {
        return new ManifestValidator(urlPolicy).check(appId, document, registeredAt);
    }

    private Manifest check(String appId, ManifestDocument document, Instant registeredAt) {
        if (!AppId.isValid(appId)) {
            violations.add(AppId.violation(appId));
        }
        if (document == null) {
            violations.add(
                    new Violation(
                            "manifest", "manifest is required: a JSON object in the request body"));
            throw invalid(appId);
        }
        String name = text("name", document.name(), Manifest.NAME_MIN, Manifest.NAME_MAX);
        String description =
                text(
                        "description",
                        document.description(),
                        Manifest.DESCRIPTION_MIN,
                        Manifest.DESCRIPTION_MAX);
        Semver version = semver("version", document.version());
        Semver compatible = semver("compatible", document.compatible());
        if (version != null && compatible != null && compatible.isAbove(version)) {
            violations.add(
                    new Violation(
                            "compatible",
                            ("compatible must not be above version: it names the oldest"
                                            + " version whose installations keep working, got"
                                            + " compatible %s and version %s")
                                    .formatted(compatible, version)));
        }
        HttpUrl url = url(document.url());
        List<AppFeature> features =
                names(
                        "features",
                        document.features(),
                        AppFeature::fromWireName,
                        AppFeature.known());
        List<AppEvent> events =
                names("events", document.events(), AppEvent::fromWireName, AppEvent.known());
        String configurationSchema = configurationSchema(document.configurationSchema());
        String icon = icon(document.icon());
        if (!violations.isEmpty()) {
            throw invalid(appId);
        }
        return new Manifest(
                new AppId(appId),
                name,
                description,
                version,
                compatible,
                url,
                Set.copyOf(features),
                Set.copyOf(events),
                configurationSchema,
                Boolean.TRUE.equals(document.writeAccess()),
                icon,
                registeredAt);
    }

    private SynclineException.Invalid invalid(String appId) {
        String subject = AppId.isValid(appId) ? "manifest of app '" + appId + "'" : "manifest";
        return new SynclineException.Invalid(subject, violations);
    }

    private String text(String field, String value, int min, int max) {
        if (value == null) {
            violations.add(
                    new Violation(
                            field, "%s is required: %d–%d characters".formatted(field, min, max)));
            return null;
        }
        if (value.isBlank()) {
            violations.add(
                    new Violation(
                            field,
                            "%s must not be blank: %d–%d characters".formatted(field, min, max)));
            return null;
        }
        int length = Manifest.length(value);
        if (length < min || length > max) {
            violations.add(
                    new Violation(
                            field,
                            "%s must be %d–%d characters, got %d"
                                    .formatted(field, min, max, length)));
            return null;
        }
        return value;
    }

    private Semver semver(String field, String value) {
        if (value == null) {
            violations.add(new Violation(field, field + " is required: " + SEMVER_RULE));
            return null;
        }
        Optional<Semver> parsed = Semver.tryParse(value);
        if (parsed.isEmpty()) {
            violations.add(
                    new Violation(
                            field, field + " must be " + SEMVER_RULE + ", got " + quote(value)));
            return null;
        }
        return parsed.get();
    }

    private HttpUrl url(String value) {
        Optional<String> problem = HttpUrl.problemWith(value);
        if (problem.isPresent()) {
            violations.add(new Violation("url", "url " + problem.get()));
            return null;
        }
        HttpUrl url = HttpUrl.parse(value);
        Optional<String> refusal = urlPolicy.refusal(url);
        if (refusal.isPresent()) {
            violations.add(new Violation("url", "url " + refusal.get()));
            return null;
        }
        return url;
    }

    private <E> List<E> names(
            String field, List<String> values, Function<String, Optional<E>> lookup, String known) {
        List<E> found = new ArrayList<>();
        if (values == null) {
            // Absent means none: an App may subscribe to nothing and declare no feature.
            return found;
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            Optional<E> match = value == null ? Optional.empty() : lookup.apply(value);
            if (match.isPresent()) {
                found.add(match.get());
            } else {
                String indexed = "%s[%d]".formatted(field, i);
                violations.add(
                        new Violation(
                                indexed,
                                "%s %s is not one of: %s".formatted(indexed, quote(value), known)));
            }
        }
        return found;
    }

    private String configurationSchema(String value) {
        if (value == null) {
            // No configuration steps.
            return "[]";
        }
        // Core holds no JSON parser: the decoder produced this text from parsed JSON, so only its
        // outer shape is left to check.
        if (!value.strip().startsWith("[")) {
            violations.add(
                    new Violation(
                            "configuration_schema",
                            "configuration_schema must be a JSON array with one JSON Schema per"
                                + " configuration step"));
            return null;
        }
        if (value.length() > Manifest.CONFIGURATION_SCHEMA_MAX_LENGTH) {
            violations.add(
                    new Violation(
                            "configuration_schema",
                            "configuration_schema must be at most %d characters, got %d"
                                    .formatted(
                                            Manifest.CONFIGURATION_SCHEMA_MAX_LENGTH,
                                            value.length())));
            return null;
        }
        return value;
    }

    private String icon(String value) {
        if (value == null) {
            return null;
        }
        if (!value.startsWith("data:") || !value.contains(",")) {
            violations.add(
                    new Violation(
                            "icon",
                            "icon must be a data URI such as data:image/png;base64,iVBORw0..., got "
                                    + quote(value)));
            return null;
        }
        if (value.length() > Manifest.ICON_MAX_LENGTH) {
            violations.add(
                    new Violation(
                            "icon",
                            "icon must be at most %d characters, got %d: use a smaller image"
                                    .formatted(Manifest.ICON_MAX_LENGTH, value.length())));
            return null;
        }
        return value;
    }
}
