package dev.syncline.core.configuration;

import dev.syncline.core.SynclineException;
import dev.syncline.core.SynclineException.Violation;
import dev.syncline.core.app.AppCallFailedException;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.InstallationStore;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.installation.SharedSecret;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An installation's configuration form: the App's steps ({@code configuration_schema}), the configuration the
 * App stores, submitting a step (checked against its JSON Schema, then relayed to the App), and the dictionaries
 * a form's selects are filled from.
 *
 * <p>The App holds the configuration; Syncline holds the status. An installation whose App has steps is
 * {@code configuration_required} until the App stores every one of them: after each accepted step Syncline reads
 * the App's stored steps, and once none is missing the installation becomes {@code active}, configured with the
 * App's current version (which is how a {@code compatible} rise is resolved without reinstalling).
 */
public final class ConfigurationService {

    private static final Pattern APP_DICTIONARY = Pattern.compile("app:([A-Za-z0-9][A-Za-z0-9_.-]{0,99})");
    private static final int MAX_ATTEMPTS = 3;
    private static final String UNEXPLAINED_TITLE = "The App refused the step without naming a field.";
    private static final ConfigurationViolation UNEXPLAINED =
            new ConfigurationViolation("", UNEXPLAINED_TITLE, UNEXPLAINED_TITLE, "{}");

    /** The configuration form of one installation and what the App stores for it. */
    public record Configuration(Installation installation, String schema, int steps, String stored) {
    }

    /** A dictionary's entries: as the App answered them, or read from the PIM's catalog. */
    public sealed interface Dictionary {
        /** @param entries the App's {@code dictionary} array, as it wrote it */
        record FromApp(String entries) implements Dictionary {
        }

        /** Entries read from the installation's latest snapshot. */
        record FromPim(PimDictionaries.Entries entries) implements Dictionary {
        }
    }

    private final InstallationService installations;
    private final InstallationStore store;
    private final AppStore apps;
    private final AppConfigurationClient client;
    private final ConfigurationSchemas schemas;
    private final PimDictionaries pim;
    private final SecretVault vault;
    private final Clock clock;

    public ConfigurationService(InstallationService installations, InstallationStore store, AppStore apps,
                                AppConfigurationClient client, ConfigurationSchemas schemas, PimDictionaries pim,
                                SecretVault vault, Clock clock) {
        this.installations = Objects.requireNonNull(installations, "installations");
        this.store = Objects.requireNonNull(store, "store");
        this.apps = Objects.requireNonNull(apps, "apps");
        this.client = Objects.requireNonNull(client, "client");
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        this.pim = Objects.requireNonNull(pim, "pim");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The App's steps and the configuration it stores, without the values of secret fields ({@code "widget":
     * "password"}).
     *
     * @throws SynclineException.NotFound when there is no such installation
     * @throws SynclineException.Conflict when it is uninstalled
     * @throws AppCallFailedException when the App did not answer its stored configuration
     */
    public Configuration read(UUID installationId) {
        Installation installation = installed(installationId);
        Manifest manifest = latestManifest(installation);
        int steps = schemas.steps(manifest.configurationSchema());
        String stored = steps == 0 ? "[]" : storedConfiguration(installation, manifest).json();
        return new Configuration(installation, manifest.configurationSchema(), steps,
                schemas.withoutSecrets(manifest.configurationSchema(), stored));
    }

    /**
     * Submits step {@code index}: checked against the step's JSON Schema, then relayed to the App. A secret field
     * ({@code "widget": "password"}) left out keeps the value the App stores. Once the App stores every step, a
     * {@code configuration_required} installation becomes {@code active}.
     *
     * @param configuration the step's values as raw JSON text (an object)
     * @return the installation as it is now
     * @throws ConfigurationRejectedException when the schema or the App refused the step, field by field
     * @throws SynclineException.Invalid when {@code index} names no step
     * @throws SynclineException.Conflict when the installation is uninstalled or its App has no steps
     * @throws AppCallFailedException when the App gave no usable answer (timeout, 5xx, wrong shape)
     */
    public Installation submit(UUID installationId, int index, String configuration) {
        Objects.requireNonNull(configuration, "configuration");
        Installation installation = installed(installationId);
        Manifest manifest = latestManifest(installation);
        int steps = schemas.steps(manifest.configurationSchema());
        if (steps == 0) {
            throw new SynclineException.Conflict("app '%s' %s has no configuration steps: installation %s needs none"
                    .formatted(manifest.appId(), manifest.version(), installationId));
        }
        if (index < 0 || index >= steps) {
            throw new SynclineException.Invalid("configuration step", List.of(new Violation("index",
                    "index must be a step of app '%s': 0 to %d, got %d".formatted(manifest.appId(), steps - 1, index))));
        }
        configuration = withStoredSecrets(installation, manifest, index, configuration);
        List<ConfigurationViolation> violations = schemas.validate(manifest.configurationSchema(), index, configuration);
        if (!violations.isEmpty()) {
            throw new ConfigurationRejectedException("configuration step " + index,
                    ConfigurationRejectedException.RefusedBy.SCHEMA, violations);
        }
        AppConfigurationClient.Answer answer = client.submitConfiguration(manifest.url(), index, configuration,
                claims(installation), secret(installation));
        if (answer instanceof AppConfigurationClient.Answer.Rejected rejected) {
            throw new ConfigurationRejectedException(
                    "configuration step " + index + " (refused by app '" + manifest.appId() + "')",
                    ConfigurationRejectedException.RefusedBy.APP,
                    rejected.violations().isEmpty() ? List.of(UNEXPLAINED) : rejected.violations());
        }
        if (!(answer instanceof AppConfigurationClient.Answer.Accepted)) {
            throw failure("POST", manifest, "configuration", asFailed(answer));
        }
        return activateIfComplete(installation, manifest, steps);
    }

    /**
     * A dictionary a form's select is filled from: {@code app:<name>} from the App, {@code ergonode:attributes}
     * (filtered by {@code types}), {@code ergonode:categories} and {@code ergonode:languages} from the latest
     * snapshot.
     *
     * @param query the dictionary's query ({@code type=TEXT,TEXT_AREA}), or {@code null}
     * @throws SynclineException.Invalid when the name is neither an {@code app:} nor a PIM dictionary
     * @throws SynclineException.NotFound when a PIM dictionary is asked before any snapshot was uploaded
     */
    public Dictionary dictionary(UUID installationId, String name, String query) {
        Installation installation = installed(installationId);
        if (PimDictionaries.names(name)) {
            Set<String> types = PimDictionaries.types(query);
            return new Dictionary.FromPim(pim.read(installationId, name, types));
        }
        if (!APP_DICTIONARY.matcher(name).matches()) {
            throw new SynclineException.Invalid("dictionary", List.of(new Violation("name",
                    "name must be app:<name> (letters, digits, '.', '_', '-'), ergonode:attributes,"
                            + " ergonode:categories or ergonode:languages; got " + SynclineException.quote(name))));
        }
        Manifest manifest = latestManifest(installation);
        String path = "dictionary/" + name.substring("app:".length());
        AppConfigurationClient.Answer answer = client.readDictionary(manifest.url(), name.substring("app:".length()),
                claims(installation), secret(installation));
        if (answer instanceof AppConfigurationClient.Answer.Dictionary dictionary) {
            return new Dictionary.FromApp(dictionary.entries());
        }
        throw failure("GET", manifest, path, asFailed(answer));
    }

    private String withStoredSecrets(Installation installation, Manifest manifest, int index, String configuration) {
        if (!manifest.configurationSchema().contains("\"password\"")) {
            // No secret fields: the App need not be asked what it stores.
            return configuration;
        }
        AppConfigurationClient.Answer.Stored stored = storedConfiguration(installation, manifest);
        return schemas.keepingSecrets(manifest.configurationSchema(), index, configuration,
                stored.storedSteps().contains(index) ? stored.step(index) : null);
    }

    private Installation activateIfComplete(Installation installation, Manifest manifest, int steps) {
        boolean outdated = installation.appVersion().isBelow(manifest.compatible());
        if (installation.status() == InstallationStatus.ACTIVE && !outdated) {
            return installation;
        }
        AppConfigurationClient.Answer.Stored stored = storedConfiguration(installation, manifest);
        for (int step = 0; step < steps; step++) {
            if (!stored.storedSteps().contains(step)) {
                return installations.find(installation.id());
            }
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Installation current = installations.find(installation.id());
            if (current.status() == InstallationStatus.UNINSTALLED) {
                return current;
            }
            Installation configured = current.configuredWith(manifest.version(), clock.instant());
            if (store.markConfigured(configured, current.status())) {
                return configured;
            }
        }
        throw new SynclineException.Conflict(("installation %s is being changed by other requests at the same time;"
                + " submit the step again").formatted(installation.id()));
    }

    private AppConfigurationClient.Answer.Stored storedConfiguration(Installation installation, Manifest manifest) {
        AppConfigurationClient.Answer answer = client.readConfiguration(manifest.url(), claims(installation),
                secret(installation));
        if (answer instanceof AppConfigurationClient.Answer.Stored stored) {
            return stored;
        }
        throw failure("GET", manifest, "configuration", asFailed(answer));
    }

    private Installation installed(UUID installationId) {
        Installation installation = installations.find(installationId);
        if (installation.status() == InstallationStatus.UNINSTALLED) {
            throw new SynclineException.Conflict("installation %s was uninstalled at %s; its configuration is gone"
                    .formatted(installationId, installation.uninstalledAt()));
        }
        return installation;
    }

    private Manifest latestManifest(Installation installation) {
        return apps.findLatest(installation.appId()).orElseThrow(() -> AppRegistry.notRegistered(installation.appId()));
    }

    private AppTokenClaims claims(Installation installation) {
        return AppTokenClaims.forInstallation(installation, clock.instant());
    }

    private SharedSecret secret(Installation installation) {
        return vault.decrypt(installation.secret(), installation.id());
    }

    private static AppConfigurationClient.Answer.Failed asFailed(AppConfigurationClient.Answer answer) {
        return answer instanceof AppConfigurationClient.Answer.Failed failed
                ? failed
                : new AppConfigurationClient.Answer.Failed(new AppResponse(200, "an answer of an unexpected kind"));
    }

    private static AppCallFailedException failure(String method, Manifest manifest, String path,
                                                  AppConfigurationClient.Answer.Failed failed) {
        return new AppCallFailedException(("app '%s' did not answer %s %s usably: it %s. Nothing was changed; retry"
                + " once the App answers as the protocol says").formatted(manifest.appId(), method,
                        manifest.url().resolve(path), failed.outcome().describe()), failed.outcome());
    }
}
