package dev.syncline.adapters.dynamodb;

import dev.syncline.core.cost.RunUsage;
import dev.syncline.core.cost.RunUsageStore;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each run's usage in the single table: one item beside the run's ({@code pk = RUN#<id>, sk = USAGE}), one number
 * attribute per figure, added to with a single {@code UpdateItem ... ADD} per function invocation, so that
 * concurrent workers never lose each other's figures and nobody reads before writing. The item stays out of the
 * {@code gsi1} index (no index write per addition) and small (short attribute names: a write unit per addition).
 *
 * <p>Attribute names: {@code r|<service>|<operation>} requests, {@code ru|...} and {@code wu|...} DynamoDB read and
 * write units, {@code n|<function>} invocations, {@code gbs|<function>} GB-seconds, {@code b|<kind>} bytes stored.
 */
public final class DynamoDbRunUsage implements RunUsageStore {

    static final String USAGE_SK = "USAGE";
    private static final String SEPARATOR = "|";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbRunUsage(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void add(UUID runId, RunUsage usage) {
        Map<String, BigDecimal> figures = new TreeMap<>();
        usage.requests().forEach((service, operations) -> operations.forEach((operation, requests) -> {
            figures.put(name("r", service, operation), BigDecimal.valueOf(requests.count()));
            figures.put(name("ru", service, operation), BigDecimal.valueOf(requests.readUnits()));
            figures.put(name("wu", service, operation), BigDecimal.valueOf(requests.writeUnits()));
        }));
        usage.functions().forEach((function, invocations) -> {
            figures.put(name("n", function), BigDecimal.valueOf(invocations.count()));
            figures.put(name("gbs", function), BigDecimal.valueOf(invocations.gbSeconds()));
        });
        usage.storedBytes().forEach((kind, bytes) -> figures.put(name("b", kind), BigDecimal.valueOf(bytes)));
        figures.values().removeIf(value -> value.signum() == 0);
        if (figures.isEmpty()) {
            return;
        }
        StringBuilder update = new StringBuilder("ADD ");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        for (Map.Entry<String, BigDecimal> figure : figures.entrySet()) {
            update.append(i == 0 ? "" : ", ").append("#f").append(i).append(" :f").append(i);
            names.put("#f" + i, figure.getKey());
            values.put(":f" + i, AttributeValue.fromN(figure.getValue().toPlainString()));
            i++;
        }
        dynamoDb.updateItem(b -> b.tableName(table).key(key(runId)).updateExpression(update.toString())
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    @Override
    public RunUsage find(UUID runId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(runId))).item();
        return item == null || item.isEmpty() ? RunUsage.none() : toUsage(item);
    }

    @Override
    public Map<UUID, RunUsage> findAll(Collection<UUID> runIds) {
        List<Map<String, AttributeValue>> keys = runIds.stream().distinct().map(DynamoDbRunUsage::key).toList();
        Map<UUID, RunUsage> found = new HashMap<>();
        runIds.forEach(runId -> found.put(runId, RunUsage.none()));
        // Eventually consistent: a listing of past months does not need the last second's additions.
        for (Map<String, AttributeValue> item : DynamoDbResourceCustomsBatches.getAll(dynamoDb, table, keys, false)) {
            found.put(UUID.fromString(item.get("pk").s().substring("RUN#".length())), toUsage(item));
        }
        return found;
    }

    static RunUsage toUsage(Map<String, AttributeValue> item) {
        RunUsage usage = RunUsage.none();
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            List<String> parts = List.of(attribute.getKey().split("\\" + SEPARATOR));
            if (attribute.getValue().n() == null || parts.size() < 2) {
                continue; // the key, or an attribute of a later version
            }
            BigDecimal value = new BigDecimal(attribute.getValue().n());
            RunUsage figure = switch (parts.getFirst()) {
                case "r" -> parts.size() == 3 ? requests(parts, value.longValue(), 0, 0) : null;
                case "ru" -> parts.size() == 3 ? requests(parts, 0, value.doubleValue(), 0) : null;
                case "wu" -> parts.size() == 3 ? requests(parts, 0, 0, value.doubleValue()) : null;
                case "n" -> new RunUsage(Map.of(), Map.of(parts.get(1), new RunUsage.Invocations(value.longValue(), 0)), Map.of());
                case "gbs" -> new RunUsage(Map.of(), Map.of(parts.get(1), new RunUsage.Invocations(0, value.doubleValue())), Map.of());
                case "b" -> new RunUsage(Map.of(), Map.of(), Map.of(parts.get(1), value.longValue()));
                default -> null;
            };
            if (figure != null) {
                usage = usage.plus(figure);
            }
        }
        return usage;
    }

    private static RunUsage requests(List<String> parts, long count, double readUnits, double writeUnits) {
        return RunUsage.none().plusRequest(parts.get(1), parts.get(2), new RunUsage.Requests(count, readUnits, writeUnits));
    }

    private static String name(String... parts) {
        return String.join(SEPARATOR, parts);
    }

    private static Map<String, AttributeValue> key(UUID runId) {
        return Map.of("pk", AttributeValue.fromS(DynamoDbRunStore.runPk(runId)), "sk", AttributeValue.fromS(USAGE_SK));
    }
}
