package dev.syncline.adapters.dynamodb;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Semver;
import dev.syncline.core.installation.DeletionGuard;
import dev.syncline.core.installation.DispatchSettings;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.InstallationStore;
import dev.syncline.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Installations in the single table: one item each ({@code pk = INSTALLATION#<id>, sk = INSTALLATION}), indexed
 * under its App ({@code gsi1pk = APP#<app id>#INSTALLATIONS}, {@code gsi1sk = <created at>#<id>}) so that an
 * App's installations are one query, oldest first. Items are never deleted; a status change is one
 * conditional {@code UpdateItem} on the current status.
 *
 * <p>Since an item has one place in {@code gsi1}, the list of every installation has its own small item per
 * installation ({@code pk = INSTALLATION#<id>, sk = LISTING}, {@code gsi1pk = INSTALLATIONS}, {@code gsi1sk =
 * <created at>#<id>}), written before the installation itself: a page is one query of that partition, newest
 * first, and one {@code BatchGetItem} of the installations it names. A listing item whose installation was
 * never written (the put failed) is skipped. Installations stored before listing items existed are not in
 * the list. One partition holds them all: hundreds of installations are a few kilobytes of index. Each tenant's
 * installations are listed the same way by one more item per installation ({@code sk = TENANT_LISTING},
 * {@code gsi1pk = TENANT#<tenant>#INSTALLATIONS}): a tenant's page reads its own partition only.
 *
 * <p>An installation stored before tenants existed has no {@code tenant_id} and belongs to the default tenant. The
 * first page of the list of every installation, or of the default tenant's, first adopts such installations once per
 * table: a bounded backfill scans for them ({@value #BACKFILL_PAGES} scan pages per call at most, resuming where the
 * last call stopped), gives each its {@code tenant_id} and both listing items (so installations stored before listing
 * items existed join the list of every installation too), and then marks the table done
 * ({@code pk = MIGRATION#TENANT_LISTING, sk = STATE}): from then on it costs one read.
 *
 * <p>The index is eventually consistent: an installation created a moment ago may be missing from
 * {@link #listByApp}. The core allows for that (an App update that misses one is caught by the check before
 * every synchronization).
 */
public final class DynamoDbInstallationStore implements InstallationStore {

    private static final String SK = "INSTALLATION";
    private static final String LISTING_SK = "LISTING";
    private static final String LISTING_PARTITION = "INSTALLATIONS";
    private static final String TENANT_LISTING_SK = "TENANT_LISTING";
    private static final Map<String, AttributeValue> BACKFILL_STATE =
            Map.of("pk", AttributeValue.fromS("MIGRATION#TENANT_LISTING"), "sk", AttributeValue.fromS("STATE"));
    // A scan page is at most 1 MB: a few of them stay well within a request's time, and a later call goes on.
    private static final int BACKFILL_PAGES = 10;
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
        putListing(installation, LISTING_SK, LISTING_PARTITION);
        putListing(installation, TENANT_LISTING_SK, tenantPartition(installation.tenantId()));
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

    private void putListing(Installation installation, String sk, String partition) {
        Map<String, AttributeValue> listing = new HashMap<>();
        listing.put("pk", s("INSTALLATION#" + installation.id()));
        listing.put("sk", s(sk));
        listing.put("installation_id", s(installation.id().toString()));
        listing.put("gsi1pk", s(partition));
        listing.put("gsi1sk", s(sortKey(installation)));
        dynamoDb.putItem(b -> b.tableName(table).item(listing));
    }

    @Override
    public Page list(int limit, String cursor) {
        if (cursor == null) {
            adoptInstallationsBeforeTenants();
        }
        return page(LISTING_SK, LISTING_PARTITION, limit, cursor);
    }

    @Override
    public Page list(TenantId tenant, int limit, String cursor) {
        if (cursor == null && tenant.equals(TenantId.DEFAULT)) {
            adoptInstallationsBeforeTenants();
        }
        return page(TENANT_LISTING_SK, tenantPartition(tenant), limit, cursor);
    }

    /**
     * Gives installations stored before tenants existed to the default tenant, with the listing items they lack; a
     * bounded share of the work per call until the table is done. Concurrent calls write the same items.
     */
    private void adoptInstallationsBeforeTenants() {
        Map<String, AttributeValue> state = dynamoDb.getItem(b -> b.tableName(table).key(BACKFILL_STATE).consistentRead(true)).item();
        if (state != null && state.containsKey("done_at")) {
            return;
        }
        Map<String, AttributeValue> start = state == null || !state.containsKey("next_pk") ? null
                : Map.of("pk", state.get("next_pk"), "sk", state.get("next_sk"));
        for (int page = 0; page < BACKFILL_PAGES; page++) {
            Map<String, AttributeValue> from = start;
            ScanResponse scanned = dynamoDb.scan(b -> b.tableName(table)
                    .filterExpression("sk = :sk AND attribute_not_exists(tenant_id)")
                    .expressionAttributeValues(Map.of(":sk", s(SK)))
                    .exclusiveStartKey(from)
                    .consistentRead(true));
            scanned.items().forEach(item -> adopt(toInstallation(item)));
            if (!scanned.hasLastEvaluatedKey() || scanned.lastEvaluatedKey().isEmpty()) {
                Map<String, AttributeValue> done = new HashMap<>(BACKFILL_STATE);
                done.put("done_at", s(Instant.now().toString()));
                dynamoDb.putItem(b -> b.tableName(table).item(done));
                return;
            }
            start = scanned.lastEvaluatedKey();
        }
        Map<String, AttributeValue> progress = new HashMap<>(BACKFILL_STATE);
        progress.put("next_pk", start.get("pk"));
        progress.put("next_sk", start.get("sk"));
        dynamoDb.putItem(b -> b.tableName(table).item(progress));
    }

    private void adopt(Installation installation) {
        putListing(installation, LISTING_SK, LISTING_PARTITION);
        putListing(installation, TENANT_LISTING_SK, tenantPartition(installation.tenantId()));
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(key(installation.id()))
                    .updateExpression("SET tenant_id = :tenant")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(tenant_id)")
                    .expressionAttributeValues(Map.of(":tenant", s(installation.tenantId().value()))));
        } catch (ConditionalCheckFailedException e) {
            // Adopted meanwhile by another call: the same tenant.
        }
    }

    private Page page(String sk, String partition, int limit, String cursor) {
        QueryResponse response = IndexListing.page(dynamoDb, table, partition, false, limit,
                cursor == null ? null : listingKey(decodeCursor(cursor), sk, partition));
        List<UUID> ids = response.items().stream().map(item -> UUID.fromString(item.get("installation_id").s())).toList();
        Map<UUID, Installation> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().map(DynamoDbInstallationStore::key).toList();
        // A page is at most 100 keys (BatchGetItem's limit is 100); unprocessed keys are asked for again.
        for (int from = 0; from < keys.size(); from += 100) {
            Map<String, KeysAndAttributes> request =
                    Map.of(table, KeysAndAttributes.builder().keys(keys.subList(from, Math.min(keys.size(), from + 100))).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse batch = dynamoDb.batchGetItem(b -> b.requestItems(asked));
                batch.responses().getOrDefault(table, List.of()).forEach(item -> {
                    Installation installation = toInstallation(item);
                    found.put(installation.id(), installation);
                });
                request = batch.hasUnprocessedKeys() ? batch.unprocessedKeys() : Map.of();
            }
        }
        List<Installation> page = ids.stream().filter(found::containsKey).map(found::get).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? encodeCursor(response.lastEvaluatedKey().get("gsi1sk").s())
                : null;
        return new Page(page, next);
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

    @Override
    public boolean markConfigured(Installation changed, InstallationStatus expectedCurrent) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(key(changed.id()))
                    .updateExpression("SET #status = :status, app_version = :version, updated_at = :updated")
                    .conditionExpression("attribute_exists(pk) AND #status = :expected")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":status", s(changed.status().wireName()),
                            ":expected", s(expectedCurrent.wireName()),
                            ":version", s(changed.appVersion().toString()),
                            ":updated", s(changed.updatedAt().toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean updateSettings(Installation changed, InstallationStatus expectedCurrent) {
        DeletionGuard guard = changed.dispatch().deletionGuard();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":expected", s(expectedCurrent.wireName()));
        values.put(":name", s(changed.name()));
        values.put(":window", n(changed.dispatch().concurrencyWindow()));
        values.put(":retries", n(changed.dispatch().retryBudget()));
        values.put(":percent", n(guard.thresholdPercent()));
        values.put(":floor", n(guard.minDeletions()));
        values.put(":hours", n(guard.confirmationTimeout().toHours()));
        values.put(":updated", s(changed.updatedAt().toString()));
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(key(changed.id()))
                    .updateExpression("SET #name = :name, concurrency_window = :window, retry_budget = :retries,"
                            + " deletion_threshold_percent = :percent, deletion_min = :floor,"
                            + " confirmation_timeout_hours = :hours, updated_at = :updated")
                    .conditionExpression("attribute_exists(pk) AND #status = :expected")
                    .expressionAttributeNames(Map.of("#status", "status", "#name", "name"))
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
        DeletionGuard guard = installation.dispatch().deletionGuard();
        item.put("deletion_threshold_percent", n(guard.thresholdPercent()));
        item.put("deletion_min", n(guard.minDeletions()));
        item.put("confirmation_timeout_hours", n(guard.confirmationTimeout().toHours()));
        item.put("secret", s(installation.secret().ciphertext()));
        item.put("tenant_id", s(installation.tenantId().value()));
        item.put("created_at", s(installation.createdAt().toString()));
        item.put("updated_at", s(installation.updatedAt().toString()));
        if (installation.uninstalledAt() != null) {
            item.put("uninstalled_at", s(installation.uninstalledAt().toString()));
        }
        item.put("gsi1pk", s(appPartition(installation.appId())));
        item.put("gsi1sk", s(sortKey(installation)));
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
                        Integer.parseInt(item.get("retry_budget").n()),
                        deletionGuard(item)),
                new EncryptedSecret(item.get("secret").s()),
                Instant.parse(item.get("created_at").s()),
                Instant.parse(item.get("updated_at").s()),
                item.containsKey("uninstalled_at") ? Instant.parse(item.get("uninstalled_at").s()) : null,
                // Stored before tenants existed: the default tenant's, as everything of a single-PIM deployment.
                item.containsKey("tenant_id") ? new TenantId(item.get("tenant_id").s()) : TenantId.DEFAULT);
    }

    /** Installations stored before the guard existed have none of its attributes: they get the default. */
    private static DeletionGuard deletionGuard(Map<String, AttributeValue> item) {
        if (!item.containsKey("deletion_threshold_percent")) {
            return DeletionGuard.DEFAULT;
        }
        return new DeletionGuard(
                Integer.parseInt(item.get("deletion_threshold_percent").n()),
                Integer.parseInt(item.get("deletion_min").n()),
                Duration.ofHours(Long.parseLong(item.get("confirmation_timeout_hours").n())));
    }

    private static InstallationStatus status(String wireName) {
        return Arrays.stream(InstallationStatus.values())
                .filter(status -> status.wireName().equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("a stored installation has the unknown status '"
                        + wireName + "'"));
    }

    private static String sortKey(Installation installation) {
        return SORTABLE.format(installation.createdAt()) + "#" + installation.id();
    }

    // The listing's index key, rebuilt from its sort key ("<created at>#<id>"), which is all a cursor holds.
    private static Map<String, AttributeValue> listingKey(String sortKey, String sk, String partition) {
        String id = sortKey.substring(sortKey.indexOf('#') + 1);
        return Map.of("pk", s("INSTALLATION#" + id), "sk", s(sk), "gsi1pk", s(partition), "gsi1sk", s(sortKey));
    }

    private static String tenantPartition(TenantId tenant) {
        return "TENANT#" + tenant.value() + "#INSTALLATIONS";
    }

    private static String encodeCursor(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String sortKey = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int hash = sortKey.indexOf('#');
            if (hash > 0) {
                SORTABLE.parse(sortKey.substring(0, hash));
                UUID.fromString(sortKey.substring(hash + 1));
                return sortKey;
            }
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            // Answered below.
        }
        throw new SynclineException.Invalid("installations query", List.of(new SynclineException.Violation("cursor",
                "cursor is not one this API returned; pass next_cursor from the previous page unchanged")));
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
