package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.delivery.Notification;
import dev.syncline.core.delivery.Notifications;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The last outcome of each notice about a run or installation: {@code pk = NOTICES#<subject>, sk = <event>}, with
 * the key, status, attempts, last status and answer. A subject has at most a handful (one per event), read in one query.
 */
public final class DynamoDbNotifications implements Notifications {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbNotifications(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void record(UUID subject, Notification notification) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk(subject)));
        item.put("sk", s(notification.event()));
        item.put("idempotency_key", s(notification.idempotencyKey()));
        item.put("notice_status", s(notification.status().wireName()));
        item.put("attempts", AttributeValue.fromN(Integer.toString(notification.attempts())));
        item.put("last_status", AttributeValue.fromN(Integer.toString(notification.lastStatus())));
        if (notification.lastAnswer() != null) {
            item.put("last_answer", s(notification.lastAnswer()));
        }
        item.put("at", s(notification.at().toString()));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public List<Notification> find(UUID subject) {
        return dynamoDb.query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(pk(subject)))).consistentRead(true))
                .items().stream()
                .map(item -> new Notification(item.get("sk").s(), item.get("idempotency_key").s(),
                        Notification.Status.fromWireName(item.get("notice_status").s()), Integer.parseInt(item.get("attempts").n()),
                        Integer.parseInt(item.get("last_status").n()), item.containsKey("last_answer") ? item.get("last_answer").s() : null,
                        Instant.parse(item.get("at").s())))
                .sorted(Comparator.comparing(Notification::at))
                .toList();
    }

    private static String pk(UUID subject) {
        return "NOTICES#" + subject;
    }
}
