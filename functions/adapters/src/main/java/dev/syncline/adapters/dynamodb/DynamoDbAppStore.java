package dev.syncline.adapters.dynamodb;

import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.Semver;
import java.time.Instant;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Manifests in the single table, under one partition per App ({@code pk = APP#<app id>}):
 *
 * <ul>
 *   <li>{@code sk = LATEST}: the App's current manifest, whole. Every registration is a conditional write of
 *       this one item (absent for the first version, still at the expected version for the next), which is
 *       what makes two racing registrations safe without transactions.
 *   <li>{@code sk = VERSION#<version>}: one item per registered version, the history.
 * </ul>
 *
 * <p>Writing two items without a transaction can stop halfway. The order makes that harmless: {@code LATEST}
 * is written first, so the current manifest is always right; a crash before the history item is written
 * leaves a gap that reads fill from {@code LATEST} and the next registration writes for good.
 */
public final class DynamoDbAppStore implements AppStore {

    private static final String LATEST = "LATEST";
    private static final String VERSION_PREFIX = "VERSION#";

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
                            .conditionExpression("#version = :expected")
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
    public Optional<Manifest> findLatest(AppId appId) {
        return get(appId, LATEST).map(DynamoDbAppStore::toManifest);
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
    public List<Manifest> listVersions(AppId appId) {
        List<Manifest> versions = new ArrayList<>();
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
                versions.add(manifest);
            }
        }
        if (latest != null && versions.stream().map(Manifest::version).noneMatch(latest.version()::equals)) {
            versions.add(latest);
        }
        versions.sort(Comparator.comparing(Manifest::version));
        return List.copyOf(versions);
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
