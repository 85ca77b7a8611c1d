package dev.syncline.adapters.dynamodb;

import dev.syncline.core.app.AppId;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Semver;
import dev.syncline.core.installation.DispatchSettings;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.InstallationStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Installations in the single table: one item each ({@code pk = INSTALLATION#<id>, sk = INSTALLATION}), indexed
 * under its App ({@code gsi1pk = APP#<app id>#INSTALLATIONS}, {@code gsi1sk = <created at>#<id>}) so that an
 * App's installations are one query, oldest first. Items are never deleted; a status change is one
 * conditional {@code UpdateItem} on the current status.
 *
 * <p>The index is eventually consistent: an installation created a moment ago may be missing from
 * {@link #listByApp}. The core allows for that (an App update that misses one is caught by the check before
 * every synchronization).
 */
public final class DynamoDbInstallationStore implements InstallationStore {

    private static final String SK = "INSTALLATION";
    // Fixed width, so that the index's string order is time order ("10:00:00Z" sorts after "10:00:00.5Z").
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbInstallationStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void create(Installation installation) {
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(item(installation))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("installation " + installation.id() + " already exists", e);
        }
    }

    @Override
    public Optional<Installation> find(UUID id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toInstallation(item));
    }

    @Override
    public List<Installation> listByApp(AppId appId) {
        List<Installation> installations = new ArrayList<>();
        dynamoDb.queryPaginator(b -> b.tableName(table)
                        .indexName("gsi1")
                        .keyConditionExpression("gsi1pk = :app")
                        .expressionAttributeValues(Map.of(":app", s(appPartition(appId))))
                        .scanIndexForward(true))
                .items()
                .forEach(item -> installations.add(toInstallation(item)));
        return List.copyOf(installations);
    }

    @Override
    public boolean updateStatus(Installation changed, InstallationStatus expectedCurrent) {
        Map<String, String> names = Map.of("#status", "status");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":status", s(changed.status().wireName()));
        values.put(":expected", s(expectedCurrent.wireName()));
        values.put(":updated", s(changed.updatedAt().toString()));
        String update = "SET #status = :status, updated_at = :updated";
        if (changed.uninstalledAt() != null) {
            update += ", uninstalled_at = :uninstalled";
            values.put(":uninstalled", s(changed.uninstalledAt().toString()));
        } else {
            update += " REMOVE uninstalled_at";
        }
        String expression = update;
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(key(changed.id()))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(pk) AND #status = :expected")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> item(Installation installation) {
        Map<String, AttributeValue> item = new HashMap<>(key(installation.id()));
        item.put("installation_id", s(installation.id().toString()));
        item.put("app_id", s(installation.appId().value()));
        item.put("app_version", s(installation.appVersion().toString()));
        item.put("name", s(installation.name()));
        item.put("api_url", s(installation.apiUrl().toString()));
        item.put("status", s(installation.status().wireName()));
        item.put("concurrency_window", n(installation.dispatch().concurrencyWindow()));
        item.put("retry_budget", n(installation.dispatch().retryBudget()));
        item.put("secret", s(installation.secret().ciphertext()));
        item.put("created_at", s(installation.createdAt().toString()));
        item.put("updated_at", s(installation.updatedAt().toString()));
        if (installation.uninstalledAt() != null) {
            item.put("uninstalled_at", s(installation.uninstalledAt().toString()));
        }
        item.put("gsi1pk", s(appPartition(installation.appId())));
        item.put("gsi1sk", s(SORTABLE.format(installation.createdAt()) + "#" + installation.id()));
        return item;
    }

    private static Installation toInstallation(Map<String, AttributeValue> item) {
        return new Installation(
                UUID.fromString(item.get("installation_id").s()),
                new AppId(item.get("app_id").s()),
                Semver.parse(item.get("app_version").s()),
                item.get("name").s(),
                HttpUrl.parse(item.get("api_url").s()),
                status(item.get("status").s()),
                new DispatchSettings(
                        Integer.parseInt(item.get("concurrency_window").n()),
                        Integer.parseInt(item.get("retry_budget").n())),
                new EncryptedSecret(item.get("secret").s()),
                Instant.parse(item.get("created_at").s()),
                Instant.parse(item.get("updated_at").s()),
                item.containsKey("uninstalled_at") ? Instant.parse(item.get("uninstalled_at").s()) : null);
    }

    private static InstallationStatus status(String wireName) {
        return Arrays.stream(InstallationStatus.values())
                .filter(status -> status.wireName().equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("a stored installation has the unknown status '"
                        + wireName + "'"));
    }

    private static Map<String, AttributeValue> key(UUID id) {
        return Map.of("pk", s("INSTALLATION#" + id), "sk", s(SK));
    }

    private static String appPartition(AppId appId) {
        return "APP#" + appId.value() + "#INSTALLATIONS";
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
