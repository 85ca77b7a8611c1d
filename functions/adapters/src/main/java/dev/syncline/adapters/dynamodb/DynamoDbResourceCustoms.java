package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.delivery.ResourceCustoms;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The {@code resource_customs} Apps answered with, as versions before the delivered state kept them (see
 * {@link ResourceCustoms}): read for entries whose plan does not know a resource's customs, and deleted once the
 * resource's delivery has put them into the delivered state. Nothing writes new customs here. One item per
 * installation and resource:
 * {@code pk = CUSTOMS#<installation>#<shard>}, {@code sk = <resource type>#<resource id>}, {@code customs} the
 * JSON text of the App's object (text rather than a DynamoDB map: one attribute whatever the App nests in it,
 * read back exactly as written, and the smallest encoding, since writes are billed by size).
 *
 * <p>The {@value #SHARDS} partitions per installation ({@link ResourceKey#shard}) spread the writes of a large
 * catalog's workers, which all update the same installation at once, over several partition keys (each takes
 * at most 1,000 write units per second).
 */
public final class DynamoDbResourceCustoms implements ResourceCustoms {

    /** Partitions per installation; stable, since it decides where a resource's customs are found. */
    static final int SHARDS = 16;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final JsonCodec json;

    public DynamoDbResourceCustoms(DynamoDbClient dynamoDb, String table, JsonCodec json) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Reads with {@code BatchGetItem}, consistently: a resource delivered in one phase may be delivered again
     * in the next a few milliseconds later (a product, then its relations), and must get the customs its
     * first delivery stored.
     */
    @Override
    public Map<ResourceKey, Map<String, Object>> find(UUID installationId, Collection<ResourceKey> resources) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (ResourceKey resource : new LinkedHashSet<>(resources)) {
            keys.add(key(installationId, resource));
        }
        Map<ResourceKey, Map<String, Object>> found = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : DynamoDbResourceCustomsBatches.getAll(dynamoDb, table, keys, true)) {
            found.put(resourceOf(item.get("sk").s()), readCustoms(item.get("customs").s()));
        }
        return found;
    }

    /**
     * Writes with {@code BatchWriteItem}. A resource both given customs and deleted is deleted; empty customs
     * replace earlier ones by removing them, since {@link #find} returns only resources that have some.
     */
    @Override
    public void update(UUID installationId, Map<ResourceKey, Map<String, Object>> customs, Collection<ResourceKey> deleted) {
        Set<ResourceKey> removed = new LinkedHashSet<>(deleted);
        List<WriteRequest> writes = new ArrayList<>();
        customs.forEach((resource, value) -> {
            if (value == null || value.isEmpty()) {
                removed.add(resource);
            } else if (!removed.contains(resource)) {
                Map<String, AttributeValue> item = new HashMap<>(key(installationId, resource));
                item.put("customs", s(json.write(value)));
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
        });
        for (ResourceKey resource : removed) {
            writes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key(installationId, resource)).build()).build());
        }
        DynamoDbResourceCustomsBatches.writeAll(dynamoDb, table, writes);
    }

    // Customs are a JSON object by the protocol, read back as the map the App's answer became.
    @SuppressWarnings("unchecked")
    private Map<String, Object> readCustoms(String text) {
        return json.read(text, Map.class);
    }

    private static Map<String, AttributeValue> key(UUID installationId, ResourceKey resource) {
        return Map.of(
                "pk", s("CUSTOMS#" + installationId + "#" + resource.shard(SHARDS)),
                "sk", s(resource.type().wireName() + "#" + resource.id()));
    }

    private static ResourceKey resourceOf(String sk) {
        int separator = sk.indexOf('#');
        return new ResourceKey(ResourceType.valueOf(sk.substring(0, separator).toUpperCase(Locale.ROOT)), sk.substring(separator + 1));
    }
}
