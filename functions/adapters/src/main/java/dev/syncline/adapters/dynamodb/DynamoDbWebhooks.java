package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.webhook.Webhook;
import dev.syncline.core.webhook.WebhookDeliveries;
import dev.syncline.core.webhook.WebhookDelivery;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Installations' webhooks and their deliveries, in one partition per installation, {@code pk = WEBHOOKS#<installation
 * id>}: the webhook at {@code sk = WEBHOOK} ({@code url}, {@code events} string set, {@code secret} as the vault
 * encrypted it, {@code set_at}); each delivery at {@code sk = DELIVERY#<delivery id>}, whose ids sort by time, so that
 * a query backwards lists them newest first. A delivery carries {@code expires_at} (DynamoDB's TTL), {@link #KEPT}
 * after it was created.
 */
public final class DynamoDbWebhooks implements WebhookStore, WebhookDeliveries {

    /** How long a delivery stays listed. */
    public static final Duration KEPT = Duration.ofDays(14);

    private static final String WEBHOOK_SK = "WEBHOOK";
    private static final String DELIVERY_PREFIX = "DELIVERY#";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbWebhooks(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
    }

    // ---- the webhook ------------------------------------------------------------------------------

    @Override
    public Optional<Webhook> find(UUID installationId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(installationId, WEBHOOK_SK)).consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Set<WebhookEvent> events = item.get("events").ss().stream()
                .map(name -> WebhookEvent.parse(name).orElseThrow(() -> new IllegalStateException("Stored webhook event " + name + " is unknown")))
                .collect(Collectors.toSet());
        return Optional.of(new Webhook(HttpUrl.parse(item.get("url").s()), events, new EncryptedSecret(item.get("secret").s()),
                Instant.parse(item.get("set_at").s())));
    }

    @Override
    public void put(UUID installationId, Webhook webhook) {
        Map<String, AttributeValue> item = new HashMap<>(key(installationId, WEBHOOK_SK));
        item.put("url", s(webhook.url().toString()));
        item.put("events", AttributeValue.fromSs(webhook.events().stream().map(WebhookEvent::wireName).toList()));
        item.put("secret", s(webhook.secret().ciphertext()));
        item.put("set_at", s(webhook.setAt().toString()));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public void remove(UUID installationId) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(key(installationId, WEBHOOK_SK)));
    }

    // ---- deliveries -------------------------------------------------------------------------------

    @Override
    public void create(WebhookDelivery delivery) {
        dynamoDb.putItem(b -> b.tableName(table).item(item(delivery)).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<WebhookDelivery> find(UUID installationId, UUID deliveryId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(key(installationId, DELIVERY_PREFIX + deliveryId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(delivery(item));
    }

    @Override
    public boolean update(WebhookDelivery next, int expectedAttempts) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item(next))
                    .conditionExpression("attempts = :expected")
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Integer.toString(expectedAttempts)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Page list(UUID installationId, int limit, String after) {
        QueryResponse response = dynamoDb.query(b -> {
            b.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(partition(installationId)), ":prefix", s(DELIVERY_PREFIX)))
                    .scanIndexForward(false)
                    .limit(limit)
                    .consistentRead(true);
            if (after != null) {
                b.exclusiveStartKey(key(installationId, DELIVERY_PREFIX + after));
            }
        });
        List<WebhookDelivery> deliveries = new ArrayList<>();
        response.items().forEach(item -> deliveries.add(delivery(item)));
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("sk").s().substring(DELIVERY_PREFIX.length())
                : null;
        return new Page(deliveries, next);
    }

    private static Map<String, AttributeValue> item(WebhookDelivery delivery) {
        Map<String, AttributeValue> item = new HashMap<>(key(delivery.installationId(), DELIVERY_PREFIX + delivery.id()));
        item.put("run_id", s(delivery.runId().toString()));
        item.put("event", s(delivery.event().wireName()));
        item.put("state", s(delivery.state().name()));
        item.put("attempts", AttributeValue.fromN(Integer.toString(delivery.attempts())));
        item.put("created_at", s(delivery.createdAt().toString()));
        item.put("expires_at", AttributeValue.fromN(Long.toString(delivery.createdAt().plus(KEPT).getEpochSecond())));
        if (delivery.lastStatus() != null) {
            item.put("last_status", AttributeValue.fromN(Integer.toString(delivery.lastStatus())));
        }
        if (delivery.lastAnswer() != null) {
            item.put("last_answer", s(delivery.lastAnswer()));
        }
        if (delivery.deliveredAt() != null) {
            item.put("delivered_at", s(delivery.deliveredAt().toString()));
        }
        if (delivery.nextAttemptAt() != null) {
            item.put("next_attempt_at", s(delivery.nextAttemptAt().toString()));
        }
        if (delivery.body() != null) {
            item.put("body", s(delivery.body()));
        }
        return item;
    }

    private static WebhookDelivery delivery(Map<String, AttributeValue> item) {
        String installation = item.get("pk").s().substring("WEBHOOKS#".length());
        return new WebhookDelivery(
                UUID.fromString(item.get("sk").s().substring(DELIVERY_PREFIX.length())),
                UUID.fromString(installation),
                UUID.fromString(item.get("run_id").s()),
                WebhookEvent.parse(item.get("event").s()).orElseThrow(() -> new IllegalStateException("Stored webhook event is unknown")),
                WebhookDelivery.State.valueOf(item.get("state").s()),
                Integer.parseInt(item.get("attempts").n()),
                item.containsKey("last_status") ? Integer.valueOf(item.get("last_status").n()) : null,
                item.containsKey("last_answer") ? item.get("last_answer").s() : null,
                Instant.parse(item.get("created_at").s()),
                item.containsKey("delivered_at") ? Instant.parse(item.get("delivered_at").s()) : null,
                item.containsKey("next_attempt_at") ? Instant.parse(item.get("next_attempt_at").s()) : null,
                item.containsKey("body") ? item.get("body").s() : null);
    }

    private static String partition(UUID installationId) {
        return "WEBHOOKS#" + installationId;
    }

    private static Map<String, AttributeValue> key(UUID installationId, String sk) {
        return Map.of("pk", s(partition(installationId)), "sk", s(sk));
    }
}
