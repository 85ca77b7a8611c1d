package dev.syncline.adapters.dynamodb;

import dev.syncline.core.SynclineException;
import dev.syncline.core.tenant.Tenant;
import dev.syncline.core.tenant.TenantId;
import dev.syncline.core.tenant.TenantStatus;
import dev.syncline.core.tenant.TenantStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Tenants in the single table, one item each ({@code pk = TENANT#<id>, sk = TENANT}), listed by id under
 * {@code gsi1pk = TENANTS}. Items are never deleted, which is what keeps an id from being reused. The default tenant
 * is written the first time tenants are listed or one is created, so that the listing shows it; until then reads
 * answer it from {@link Tenant#defaultTenant()}.
 */
public final class DynamoDbTenantStore implements TenantStore {

    private static final String SK = "TENANT";
    private static final String LISTING_PARTITION = "TENANTS";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbTenantStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return id.equals(TenantId.DEFAULT) ? Optional.of(Tenant.defaultTenant()) : Optional.empty();
        }
        return Optional.of(toTenant(item));
    }

    @Override
    public boolean create(Tenant tenant) {
        storeDefault();
        return putNew(tenant);
    }

    @Override
    public Page list(int limit, String cursor) {
        if (cursor == null) {
            storeDefault();
        }
        Map<String, AttributeValue> start = null;
        if (cursor != null) {
            if (!TenantId.isValid(cursor)) {
                throw new SynclineException.Invalid("tenants query", List.of(new SynclineException.Violation("cursor",
                        "cursor is not one this API returned; pass next_cursor from the previous page unchanged")));
            }
            TenantId after = new TenantId(cursor);
            start = new HashMap<>(key(after));
            start.put("gsi1pk", s(LISTING_PARTITION));
            start.put("gsi1sk", s(after.value()));
        }
        QueryResponse response = IndexListing.page(dynamoDb, table, LISTING_PARTITION, true, limit, start);
        List<Tenant> tenants = response.items().stream().map(DynamoDbTenantStore::toTenant).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("gsi1sk").s()
                : null;
        return new Page(tenants, next);
    }

    @Override
    public Optional<Tenant> disable(TenantId id, Instant at) {
        storeDefault();
        try {
            Map<String, AttributeValue> updated = dynamoDb.updateItem(b -> b.tableName(table)
                            .key(key(id))
                            .updateExpression("SET #status = :disabled, disabled_at = if_not_exists(disabled_at, :at)")
                            .conditionExpression("attribute_exists(pk)")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(Map.of(":disabled", s(TenantStatus.DISABLED.wireName()),
                                    ":at", s(at.toString())))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
            return Optional.of(toTenant(updated));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private void storeDefault() {
        putNew(Tenant.defaultTenant());
    }

    private boolean putNew(Tenant tenant) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item(tenant)).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(TenantId id) {
        return Map.of("pk", s("TENANT#" + id.value()), "sk", s(SK));
    }

    private static Map<String, AttributeValue> item(Tenant tenant) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant.id()));
        item.put("tenant_id", s(tenant.id().value()));
        item.put("name", s(tenant.name()));
        item.put("status", s(tenant.status().wireName()));
        item.put("created_at", s(tenant.createdAt().toString()));
        if (tenant.disabledAt() != null) {
            item.put("disabled_at", s(tenant.disabledAt().toString()));
        }
        item.put("gsi1pk", s(LISTING_PARTITION));
        item.put("gsi1sk", s(tenant.id().value()));
        return item;
    }

    private static Tenant toTenant(Map<String, AttributeValue> item) {
        return new Tenant(
                new TenantId(item.get("tenant_id").s()),
                item.get("name").s(),
                TenantStatus.valueOf(item.get("status").s().toUpperCase(Locale.ROOT)),
                Instant.parse(item.get("created_at").s()),
                item.containsKey("disabled_at") ? Instant.parse(item.get("disabled_at").s()) : null);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
