package dev.syncline.adapters.dynamodb;

import dev.syncline.core.tenant.TenantId;
import dev.syncline.core.tenant.TenantKey;
import dev.syncline.core.tenant.TenantKeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Tenants' API keys in the single table, one item per key ({@code pk = APIKEY#<key id>, sk = APIKEY}), so that
 * authenticating is one GetItem by the id the key carries; listed per tenant, newest first, under {@code gsi1pk =
 * APIKEYS#<tenant id>}. An item holds the SHA-256 digest of the key ({@code digest}), never the key.
 */
public final class DynamoDbTenantKeyStore implements TenantKeyStore {

    private static final String SK = "APIKEY";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbTenantKeyStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean create(TenantKey key) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item(key)).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public Optional<TenantKey> find(String keyId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(keyId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toKey(item));
    }

    @Override
    public List<TenantKey> list(TenantId tenantId, int limit) {
        return dynamoDb.queryPaginator(b -> b.tableName(table)
                        .indexName("gsi1")
                        .keyConditionExpression("gsi1pk = :tenant")
                        .expressionAttributeValues(Map.of(":tenant", s(listing(tenantId))))
                        .scanIndexForward(false)
                        .limit(Math.min(limit, 100)))
                .items().stream()
                .limit(limit)
                .map(DynamoDbTenantKeyStore::toKey)
                .toList();
    }

    @Override
    public void revoke(TenantId tenantId, String keyId, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(key(keyId))
                    .updateExpression("SET revoked_at = :at")
                    .conditionExpression("tenant_id = :tenant AND attribute_not_exists(revoked_at)")
                    .expressionAttributeValues(Map.of(":at", s(at.toString()), ":tenant", s(tenantId.value()))));
        } catch (ConditionalCheckFailedException alreadyRevokedOrNotTheTenants) {
            // Nothing to change.
        }
    }

    @Override
    public void markUsed(String keyId, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(key(keyId))
                    .updateExpression("SET last_used_at = :at")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":at", s(at.toString()))));
        } catch (ConditionalCheckFailedException gone) {
            // Keys are never deleted; nothing to mark if one were.
        }
    }

    private static Map<String, AttributeValue> key(String keyId) {
        return Map.of("pk", s("APIKEY#" + keyId), "sk", s(SK));
    }

    private static String listing(TenantId tenantId) {
        return "APIKEYS#" + tenantId.value();
    }

    private static Map<String, AttributeValue> item(TenantKey key) {
        Map<String, AttributeValue> item = new HashMap<>(key(key.keyId()));
        item.put("key_id", s(key.keyId()));
        item.put("tenant_id", s(key.tenantId().value()));
        item.put("name", s(key.name()));
        item.put("digest", s(key.digest()));
        item.put("created_at", s(key.createdAt().toString()));
        item.put("gsi1pk", s(listing(key.tenantId())));
        // Zero-padded epoch milliseconds sort as the instants do, whatever their fraction of a second.
        item.put("gsi1sk", s("%015d#%s".formatted(key.createdAt().toEpochMilli(), key.keyId())));
        return item;
    }

    private static TenantKey toKey(Map<String, AttributeValue> item) {
        return new TenantKey(
                item.get("key_id").s(),
                new TenantId(item.get("tenant_id").s()),
                item.get("name").s(),
                item.get("digest").s(),
                Instant.parse(item.get("created_at").s()),
                instant(item, "last_used_at"),
                instant(item, "revoked_at"));
    }

    private static Instant instant(Map<String, AttributeValue> item, String attribute) {
        return item.containsKey(attribute) ? Instant.parse(item.get(attribute).s()) : null;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
