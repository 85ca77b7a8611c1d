package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.file.Feed;
import dev.syncline.core.file.FeedCredentials;
import dev.syncline.core.file.FeedStore;
import dev.syncline.core.installation.EncryptedSecret;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Feeds in the single table: one item per installation ({@code pk = INSTALLATION#<id>, sk = FEED}) with the token's
 * hash and ciphertext, the basic credentials' hash and the latest promotion (its key holds the published segment); and one lookup item per live token
 * ({@code pk = FEEDTOKEN#<sha-256>, sk = FEEDTOKEN}) naming the installation. Never the token itself in clear.
 */
public final class DynamoDbFeeds implements FeedStore {

    static final String FEED_SK = "FEED";
    static final String TOKEN_SK = "FEEDTOKEN";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbFeeds(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Optional<Feed> find(UUID installationId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(feedKey(installationId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        FeedCredentials credentials = item.containsKey("auth_user")
                ? new FeedCredentials(item.get("auth_user").s(), item.get("auth_salt").s(), item.get("auth_hash").s())
                : null;
        return Optional.of(new Feed(installationId,
                item.containsKey("token_hash") ? item.get("token_hash").s() : null,
                item.containsKey("token_ciphertext") ? new EncryptedSecret(item.get("token_ciphertext").s()) : null,
                credentials,
                item.containsKey("latest_key") ? item.get("latest_key").s() : null,
                item.containsKey("latest_run_id") ? UUID.fromString(item.get("latest_run_id").s()) : null,
                item.containsKey("promoted_at") ? Instant.parse(item.get("promoted_at").s()) : null));
    }

    @Override
    public Optional<UUID> findByTokenHash(String tokenHash) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(tokenKey(tokenHash)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(UUID.fromString(item.get("installation_id").s()));
    }

    @Override
    public boolean createToken(UUID installationId, String tokenHash, EncryptedSecret token) {
        // Lookup first: a crash before the feed names it leaves a lookup that resolves to nothing.
        putToken(tokenHash, installationId);
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(feedKey(installationId))
                    .updateExpression("SET installation_id = :installation, token_hash = :hash, token_ciphertext = :cipher")
                    .conditionExpression("attribute_not_exists(token_hash)")
                    .expressionAttributeValues(Map.of(":installation", s(installationId.toString()), ":hash", s(tokenHash),
                            ":cipher", s(token.ciphertext()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            dynamoDb.deleteItem(b -> b.tableName(table).key(tokenKey(tokenHash)));
            return false;
        }
    }

    @Override
    public void replaceToken(UUID installationId, String oldHash, String newHash, EncryptedSecret newToken, Instant now) {
        // Lookup first, then the feed, then the old lookup goes: a crash in between leaves a lookup no feed names,
        // which resolves to nothing (the feed's hash must match), never a second working URL.
        putToken(newHash, installationId);
        dynamoDb.updateItem(b -> b.tableName(table).key(feedKey(installationId))
                .updateExpression("SET token_hash = :new, token_ciphertext = :cipher, updated_at = :now")
                .conditionExpression("token_hash = :old")
                .expressionAttributeValues(Map.of(":new", s(newHash), ":cipher", s(newToken.ciphertext()), ":now", s(now.toString()),
                        ":old", s(oldHash))));
        dynamoDb.deleteItem(b -> b.tableName(table).key(tokenKey(oldHash)));
    }

    @Override
    public void setCredentials(UUID installationId, FeedCredentials credentials, Instant now) {
        if (credentials == null) {
            dynamoDb.updateItem(b -> b.tableName(table).key(feedKey(installationId))
                    .updateExpression("SET updated_at = :now REMOVE auth_user, auth_salt, auth_hash")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":now", s(now.toString()))));
            return;
        }
        dynamoDb.updateItem(b -> b.tableName(table).key(feedKey(installationId))
                .updateExpression("SET auth_user = :user, auth_salt = :salt, auth_hash = :hash, updated_at = :now")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":user", s(credentials.username()), ":salt", s(credentials.salt()),
                        ":hash", s(credentials.hash()), ":now", s(now.toString()))));
    }

    @Override
    public boolean promoted(UUID installationId, String expectedKey, String latestKey, UUID runId, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(feedKey(installationId))
                    .updateExpression("SET installation_id = :installation, latest_key = :key, latest_run_id = :run, promoted_at = :now")
                    .conditionExpression(expectedKey == null ? "attribute_not_exists(latest_key)" : "latest_key = :expected")
                    .expressionAttributeValues(withExpected(Map.of(":installation", s(installationId.toString()), ":key", s(latestKey),
                            ":run", s(runId.toString()), ":now", s(now.toString())), expectedKey)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean moved(UUID installationId, String fromKey, String toKey, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(feedKey(installationId))
                    .updateExpression(toKey == null ? "SET updated_at = :now REMOVE latest_key" : "SET latest_key = :key, updated_at = :now")
                    .conditionExpression("latest_key = :expected")
                    .expressionAttributeValues(withExpected(toKey == null ? Map.of(":now", s(now.toString()))
                            : Map.of(":key", s(toKey), ":now", s(now.toString())), fromKey)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> withExpected(Map<String, AttributeValue> values, String expectedKey) {
        if (expectedKey == null) {
            return values;
        }
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":expected", s(expectedKey));
        return all;
    }

    private void putToken(String hash, UUID installationId) {
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s("FEEDTOKEN#" + hash), "sk", s(TOKEN_SK),
                "installation_id", s(installationId.toString()))));
    }

    private static Map<String, AttributeValue> feedKey(UUID installationId) {
        return Map.of("pk", s("INSTALLATION#" + installationId), "sk", s(FEED_SK));
    }

    private static Map<String, AttributeValue> tokenKey(String hash) {
        return Map.of("pk", s("FEEDTOKEN#" + hash), "sk", s(TOKEN_SK));
    }
}
