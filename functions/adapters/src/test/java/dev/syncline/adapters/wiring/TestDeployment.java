package dev.syncline.adapters.wiring;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.crypto.AesGcmSecretVault;
import dev.syncline.adapters.dynamodb.DynamoDbActiveRuns;
import dev.syncline.core.app.ManifestDocument;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.InstallationRequest;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A function as deployed, against the emulators: the environment template.yaml gives it (with the emulators'
 * endpoints, and a local key where AWS has KMS), wired by {@link Services} as in Lambda.
 */
public final class TestDeployment implements AutoCloseable {

    /** The run the fixtures under events/planner and events/worker name. */
    public static final UUID RUN = UUID.fromString("6f1c3a52-8a0e-4f3b-9d5e-2b7a4c1e9f30");
    /** Encrypts shared secrets in these tests (base64 of 32 bytes). */
    public static final String SECRETS_KEY = "K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=";

    private final AwsStack stack;
    private final Config config;
    public final Services services;

    private TestDeployment(AwsStack stack, Map<String, String> overrides) {
        this(stack, overrides, Clock.systemUTC(), List.of());
    }

    private TestDeployment(AwsStack stack, Map<String, String> overrides, Clock clock, List<ExecutionInterceptor> interceptors) {
        Map<String, String> environment = new HashMap<>(stack.environment());
        environment.put(Config.SECRETS_LOCAL_KEY, SECRETS_KEY);
        // The sample App runs on this machine.
        environment.put(Config.ALLOW_PRIVATE_APP_URLS, "true");
        environment.putAll(overrides);
        this.stack = stack;
        this.config = Config.from(environment);
        this.services = Services.create(config, clock, interceptors);
    }

    public static TestDeployment start(AwsStack stack) {
        return new TestDeployment(stack, Map.of());
    }

    /** A deployment on {@code clock} whose SDK clients also call {@code interceptors} (to see which items are read). */
    public static TestDeployment start(AwsStack stack, Clock clock, List<ExecutionInterceptor> interceptors) {
        return new TestDeployment(stack, Map.of(), clock, interceptors);
    }

    /** A deployment whose environment sets {@code overrides} too (the App's timeouts, say). */
    public static TestDeployment start(AwsStack stack, Map<String, String> overrides) {
        return new TestDeployment(stack, overrides);
    }

    /**
     * Registers an App at {@code app} subscribing to product changes with the given configuration steps, installs
     * it and submits {@code configuration} (one JSON object per step) as a PIM does before the first run; answers
     * the installation, active.
     */
    public UUID install(URI app, String configurationSchema, List<String> configuration) {
        return install(app, configurationSchema, configuration, null);
    }

    /** The same with the installation's {@code retry_budget} (null for the default). */
    public UUID install(URI app, String configurationSchema, List<String> configuration, Integer retryBudget) {
        services.apps().register("shop-export", new ManifestDocument("Shop export", "Exports the catalog to the shop.",
                "1.0.0", "1.0.0", app.toString(), List.of("synchronization", "synchronization_full"),
                List.of("app_installed", "product_created", "product_updated", "product_deleted"), configurationSchema,
                false, null));
        UUID installation = services.installations()
                .install(new InstallationRequest("shop-export", "Shop DE", "https://pim.example.com/api", null, retryBudget))
                .installation().id();
        for (int index = 0; index < configuration.size(); index++) {
            services.configuration().submit(installation, index, configuration.get(index));
        }
        return installation;
    }

    /** What a trigger of {@link #RUN} leaves behind: the snapshot stored, the run preparing and the installation's active run. */
    public void trigger(UUID installation, String ndjson) {
        trigger(installation, RUN, ndjson);
    }

    /** The same for another run, once the installation's earlier run has ended. */
    public void trigger(UUID installation, UUID run, String ndjson) {
        String snapshotId = "catalog-" + run;
        byte[] snapshot = ndjson.getBytes(StandardCharsets.UTF_8);
        services.snapshots().putInline(installation, snapshotId, new ByteArrayInputStream(snapshot), snapshot.length);
        try (AwsClientFactory clients = AwsClientFactory.create(config)) {
            new DynamoDbActiveRuns(clients.dynamoDb(), stack.names().table(), services.clock()).acquire(installation, run);
        }
        services.runs().create(Run.start(run, installation, SyncMode.INCREMENTAL, snapshotId, services.clock().instant()));
    }

    /** The installation's shared secret as stored, decrypted with the deployment's key: what the App received. */
    public SharedSecret storedSecret(UUID installation) {
        String ciphertext = stack.dynamoDb().getItem(b -> b.tableName(stack.names().table()).key(Map.of(
                        "pk", AttributeValue.fromS("INSTALLATION#" + installation),
                        "sk", AttributeValue.fromS("INSTALLATION"))))
                .item().get("secret").s();
        return AesGcmSecretVault.create(Base64.getDecoder().decode(SECRETS_KEY)).decrypt(new EncryptedSecret(ciphertext), installation);
    }

    /** The bodies of the messages waiting in a queue. */
    public List<String> waiting(String queueUrl) {
        return stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                .messages().stream().map(software.amazon.awssdk.services.sqs.model.Message::body).toList();
    }

    @Override
    public void close() {
        services.close();
    }
}
