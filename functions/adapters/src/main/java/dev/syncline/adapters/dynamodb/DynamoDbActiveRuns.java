package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.sync.ActiveRuns;
import dev.syncline.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The active run of each installation, with two kinds of item:
 * <ul>
 *   <li>the lock, {@code pk = INSTALLATION#<installation>, sk = ACTIVE_RUN}, {@code run_id}, {@code acquired_at}:
 *       put on condition that there is none (or that it names the same run, so a repeated acquire succeeds),
 *       deleted on condition that it names the releasing run; indexed under its tenant ({@code gsi1pk =
 *       TENANT#<tenant>#ACTIVE_RUNS}, {@code gsi1sk = <installation>}) so that a tenant's active runs are counted by
 *       one query of its own index partition;</li>
 *   <li>the registry entry the reconciler lists, {@code pk = ACTIVE_RUNS, sk = RUN#<run>},
 *       {@code installation_id}, {@code run_id}, {@code acquired_at}, in one partition: it holds one small item
 *       per active run (hundreds) and is written twice per run, far below a partition's limits.</li>
 * </ul>
 * The registry entry is written before the lock and removed after it, so an active run is always listed: a
 * crash in between leaves a registry entry without a lock, never a lock nobody lists. The reconciler
 * releases such a stale entry when it finds its run ended or missing; the release's conditional delete of
 * the lock does nothing when the lock belongs to another run.
 */
public final class DynamoDbActiveRuns implements ActiveRuns {

    private static final String LOCK_SK = "ACTIVE_RUN";
    private static final String REGISTRY_PK = "ACTIVE_RUNS";
    // A lock released between our failed put and our read is retried this often before reporting a conflict.
    private static final int MAX_ATTEMPTS = 3;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;

    public DynamoDbActiveRuns(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<UUID> acquire(UUID installationId, TenantId tenant, UUID runId) {
        Instant now = clock.instant();
        Map<String, AttributeValue> entry = new HashMap<>(registryKey(runId));
        entry.put("installation_id", s(installationId.toString()));
        entry.put("run_id", s(runId.toString()));
        entry.put("acquired_at", s(now.toString()));
        dynamoDb.putItem(b -> b.tableName(table).item(entry));

        Map<String, AttributeValue> lock = new HashMap<>(lockKey(installationId));
        lock.put("run_id", s(runId.toString()));
        lock.put("acquired_at", s(now.toString()));
        lock.put("tenant_id", s(tenant.value()));
        lock.put("gsi1pk", s(tenantPartition(tenant)));
        lock.put("gsi1sk", s(installationId.toString()));
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                dynamoDb.putItem(b -> b.tableName(table)
                        .item(lock)
                        .conditionExpression("attribute_not_exists(pk) OR run_id = :run")
                        .expressionAttributeValues(Map.of(":run", s(runId.toString()))));
                return Optional.empty();
            } catch (ConditionalCheckFailedException held) {
                Optional<UUID> holder = holder(installationId).map(ActiveRun::runId);
                if (holder.isPresent()) {
                    dynamoDb.deleteItem(b -> b.tableName(table).key(registryKey(runId)));
                    return holder;
                }
                // Released between our put and our read: try again.
            }
        }
        dynamoDb.deleteItem(b -> b.tableName(table).key(registryKey(runId)));
        throw new IllegalStateException("The active-run lock of installation " + installationId + " changed hands "
                + MAX_ATTEMPTS + " times while run " + runId + " tried to acquire it");
    }

    @Override
    public void release(UUID installationId, UUID runId) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(table)
                    .key(lockKey(installationId))
                    .conditionExpression("run_id = :run")
                    .expressionAttributeValues(Map.of(":run", s(runId.toString()))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Released before, or held by a later run: leave it.
        }
        dynamoDb.deleteItem(b -> b.tableName(table).key(registryKey(runId)));
    }

    @Override
    public List<ActiveRun> list() {
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        dynamoDb.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(REGISTRY_PK)))
                        .consistentRead(true))
                .items().forEach(entries::add);
        return entries.stream()
                .sorted(Comparator.<Map<String, AttributeValue>, Instant>comparing(item -> Instant.parse(item.get("acquired_at").s()))
                        .thenComparing(item -> item.get("run_id").s()))
                .map(item -> new ActiveRun(UUID.fromString(item.get("installation_id").s()), UUID.fromString(item.get("run_id").s()),
                        Instant.parse(item.get("acquired_at").s())))
                .toList();
    }

    @Override
    public int activeCount(TenantId tenant) {
        // Bounded: the pages move on through the tenant's locks, one small item per active run, and only count them.
        return dynamoDb.queryPaginator(b -> b.tableName(table)
                        .indexName("gsi1")
                        .keyConditionExpression("gsi1pk = :tenant")
                        .expressionAttributeValues(Map.of(":tenant", s(tenantPartition(tenant))))
                        .select(Select.COUNT))
                .stream()
                .mapToInt(QueryResponse::count)
                .sum();
    }

    @Override
    public Optional<ActiveRun> holder(UUID installationId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(lockKey(installationId)).consistentRead(true)).item();
        return item == null || item.isEmpty()
                ? Optional.empty()
                : Optional.of(new ActiveRun(installationId, UUID.fromString(item.get("run_id").s()), Instant.parse(item.get("acquired_at").s())));
    }

    private static Map<String, AttributeValue> lockKey(UUID installationId) {
        return Map.of("pk", s("INSTALLATION#" + installationId), "sk", s(LOCK_SK));
    }

    private static String tenantPartition(TenantId tenant) {
        return "TENANT#" + tenant.value() + "#ACTIVE_RUNS";
    }

    private static Map<String, AttributeValue> registryKey(UUID runId) {
        return Map.of("pk", s(REGISTRY_PK), "sk", s("RUN#" + runId));
    }
}
