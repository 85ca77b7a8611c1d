package dev.syncline.adapters.dynamodb;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.AppVersion;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.RegisteredApp;
import dev.syncline.core.app.Semver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Manifests in the single table, under one partition per App ({@code pk = APP#<app id>}):
 *
 * <ul>
 *   <li>{@code sk = LATEST}: the App's current manifest, whole. Every registration is a conditional write of
 *       this one item (absent for the first version, still at the expected version for the next), which is
 *       what makes two racing registrations safe without transactions.
 *   <li>{@code sk = VERSION#<version>}: one item per registered version, the history, with {@code retired_at} once
 *       that version is retired. Retiring the latest version writes the newest one not retired to {@code LATEST}.
 *   <li>{@code LATEST} also carries {@code retired_at} once the App is retired, and is indexed under {@code gsi1pk =
 *       APPS} by app id for the listing of every App (an App registered before that index existed is listed once
 *       it registers its next version).
 * </ul>
 *
 * <p>Writing two items without a transaction can stop halfway. The order makes that harmless: {@code LATEST}
 * is written first, so the current manifest is always right; a crash before the history item is written
 * leaves a gap that reads fill from {@code LATEST} and the next registration writes for good.
 */
public final class DynamoDbAppStore implements AppStore {

    private static final String LATEST = "LATEST";
    private static final String VERSION_PREFIX = "VERSION#";
    private static final String LISTING_PARTITION = "APPS";
    // Names the listing a cursor belongs to, so that text from elsewhere that happens to be an app id is refused.
    private static final String CURSOR_PREFIX = "apps:";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbAppStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean putFirstVersion(Manifest manifest) {
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(item(manifest, LATEST))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        putHistory(manifest);
        return true;
    }

    @Override
    public boolean putNextVersion(Manifest manifest, Semver expectedLatest) {
        Map<String, AttributeValue> previous;
        try {
            previous = dynamoDb.putItem(b -> b.tableName(table)
                            .item(item(manifest, LATEST))
                            .conditionExpression("#version = :expected AND attribute_not_exists(retired_at)")
                            .expressionAttributeNames(Map.of("#version", "version"))
                            .expressionAttributeValues(Map.of(":expected", s(expectedLatest.toString())))
                            .returnValues(ReturnValue.ALL_OLD))
                    .attributes();
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        // Normally already there; written here in case a crash kept the previous registration from it.
        putHistory(toManifest(previous));
        putHistory(manifest);
        return true;
    }

    @Override
    public Optional<RegisteredApp> findApp(AppId appId) {
        return get(appId, LATEST).map(DynamoDbAppStore::toApp);
    }

    @Override
    public boolean retire(AppId appId, Instant at) {
        return markRetired(appId, LATEST, at);
    }

    /** Sets {@code retired_at} on an item that exists and is not retired yet; false, changing nothing, otherwise. */
    private boolean markRetired(AppId appId, String sk, Instant at) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(Map.of("pk", s(partition(appId)), "sk", s(sk)))
                    .updateExpression("SET retired_at = :at")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(retired_at)")
                    .expressionAttributeValues(Map.of(":at", s(at.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Page list(int limit, String cursor) {
        AppId after = cursor == null ? null : decodeCursor(cursor);
        QueryResponse response = IndexListing.page(dynamoDb, table, LISTING_PARTITION, true, limit, after == null
                ? null
                : Map.of("pk", s(partition(after)), "sk", s(LATEST), "gsi1pk", s(LISTING_PARTITION), "gsi1sk", s(after.value())));
        List<RegisteredApp> apps = response.items().stream().map(DynamoDbAppStore::toApp).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                        (CURSOR_PREFIX + response.lastEvaluatedKey().get("gsi1sk").s()).getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page(apps, next);
    }

    private static AppId decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String appId = text.substring(Math.min(text.length(), CURSOR_PREFIX.length()));
            if (text.startsWith(CURSOR_PREFIX) && AppId.isValid(appId)) {
                return new AppId(appId);
            }
        } catch (IllegalArgumentException e) {
            // Answered below.
        }
        throw new SynclineException.Invalid("apps query", List.of(new SynclineException.Violation("cursor",
                "cursor is not one this API returned; pass next_cursor from the previous page unchanged")));
    }

    private static RegisteredApp toApp(Map<String, AttributeValue> item) {
        return new RegisteredApp(toManifest(item),
                item.containsKey("retired_at") ? Instant.parse(item.get("retired_at").s()) : null);
    }

    @Override
    public Optional<Manifest> findVersion(AppId appId, Semver version) {
        Optional<Manifest> stored = get(appId, VERSION_PREFIX + version).map(DynamoDbAppStore::toManifest);
        if (stored.isPresent()) {
            return stored;
        }
        return findLatest(appId).filter(latest -> latest.version().equals(version));
    }

    @Override
    public List<AppVersion> history(AppId appId) {
        List<AppVersion> versions = new ArrayList<>();
        Manifest latest = null;
        for (Map<String, AttributeValue> item : dynamoDb.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(partition(appId))))
                        .consistentRead(true))
                .items()) {
            Manifest manifest = toManifest(item);
            if (item.get("sk").s().equals(LATEST)) {
                latest = manifest;
            } else {
                versions.add(new AppVersion(manifest,
                        item.containsKey("retired_at") ? Instant.parse(item.get("retired_at").s()) : null));
            }
        }
        if (latest != null && versions.stream().map(AppVersion::version).noneMatch(latest.version()::equals)) {
            versions.add(new AppVersion(latest, null));
        }
        versions.sort(Comparator.comparing(AppVersion::version));
        return List.copyOf(versions);
    }

    @Override
    public boolean retireVersion(AppId appId, Semver version, Instant at) {
        // The history item of the latest version may be missing after a crash (see above): write it first.
        findLatest(appId).filter(latest -> latest.version().equals(version)).ifPresent(this::putHistory);
        return markRetired(appId, VERSION_PREFIX + version, at);
    }

    @Override
    public boolean rollBackLatest(AppId appId, Semver retiredLatest, Manifest previous) {
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(item(previous, LATEST))
                    .conditionExpression("#version = :expected AND attribute_not_exists(retired_at)")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":expected", s(retiredLatest.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private void putHistory(Manifest manifest) {
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(item(manifest, VERSION_PREFIX + manifest.version()))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // A version's content never changes once registered: the stored item is this one.
        }
    }

    private Optional<Map<String, AttributeValue>> get(AppId appId, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                        .key(Map.of("pk", s(partition(appId)), "sk", s(sk)))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static String partition(AppId appId) {
        return "APP#" + appId.value();
    }

    private static Map<String, AttributeValue> item(Manifest manifest, String sk) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(partition(manifest.appId())));
        item.put("sk", s(sk));
        item.put("app_id", s(manifest.appId().value()));
        item.put("name", s(manifest.name()));
        item.put("description", s(manifest.description()));
        item.put("version", s(manifest.version().toString()));
        item.put("compatible", s(manifest.compatible().toString()));
        item.put("url", s(manifest.url().toString()));
        // Lists, not string sets: a set cannot be empty, and these keep the manifest's order.
        item.put("features", AttributeValue.fromL(manifest.features().stream().map(f -> s(f.wireName())).toList()));
        item.put("events", AttributeValue.fromL(manifest.events().stream().map(e -> s(e.wireName())).toList()));
        item.put("configuration_schema", s(manifest.configurationSchema()));
        item.put("write_access", AttributeValue.fromBool(manifest.writeAccess()));
        if (manifest.icon() != null) {
            item.put("icon", s(manifest.icon()));
        }
        item.put("registered_at", s(manifest.registeredAt().toString()));
        if (sk.equals(LATEST)) {
            // The listing of every App reads the latest manifests through the index, by app id.
            item.put("gsi1pk", s(LISTING_PARTITION));
            item.put("gsi1sk", s(manifest.appId().value()));
        }
        return item;
    }

    private static Manifest toManifest(Map<String, AttributeValue> item) {
        return new Manifest(
                new AppId(item.get("app_id").s()),
                item.get("name").s(),
                item.get("description").s(),
                Semver.parse(item.get("version").s()),
                Semver.parse(item.get("compatible").s()),
                HttpUrl.parse(item.get("url").s()),
                names(item, "features",
                        name -> AppFeature.fromWireName(name).orElseThrow(() -> unknown("feature", name))),
                names(item, "events",
                        name -> AppEvent.fromWireName(name).orElseThrow(() -> unknown("event", name))),
                item.get("configuration_schema").s(),
                item.get("write_access").bool(),
                item.containsKey("icon") ? item.get("icon").s() : null,
                Instant.parse(item.get("registered_at").s()));
    }

    private static <E> Set<E> names(Map<String, AttributeValue> item, String attribute,
                                    Function<String, E> lookup) {
        return item.get(attribute).l().stream().map(AttributeValue::s).map(lookup).collect(Collectors.toSet());
    }

    private static IllegalStateException unknown(String kind, String name) {
        return new IllegalStateException("a stored manifest names the " + kind + " '" + name
                + "', which this version of Syncline does not know");
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
