package dev.syncline.sampleapp;

import com.auth0.jwt.JWTVerifier;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One installation of the App: the verifier built from its shared secret, its catalog, and the answers given to
 * the idempotency keys it has seen.
 *
 * <p>The engine sends requests concurrently, also for one installation, and delivers at least once. One lock per
 * installation makes "check the key, apply, remember the key" a single step, so two copies of one request
 * racing each other are applied once; different installations never wait for each other.
 */
final class Installation {

    /** How many idempotency keys are remembered; the oldest are forgotten first. */
    static final int REMEMBERED_KEYS = 100_000;

    private record Remembered(String event, String resourceId, HttpReply reply) {
    }

    private final String id;
    private final ReentrantLock lock = new ReentrantLock();
    private final Catalog catalog;
    private final LinkedHashMap<String, Remembered> answeredKeys = new LinkedHashMap<>();
    private volatile JWTVerifier verifier;
    // The configuration steps as stored, indexed like the schema's steps; null where a step was never stored.
    private final ObjectNode[] configuration = new ObjectNode[SampleConfiguration.STEPS];

    Installation(String id, JWTVerifier verifier) {
        this.id = id;
        this.catalog = new Catalog(id);
        this.verifier = verifier;
    }

    String id() {
        return id;
    }

    JWTVerifier verifier() {
        return verifier;
    }

    /**
     * A repeated handshake (the PIM reinstalling the App) replaces the secret and keeps the data. A production
     * App should only accept a handshake it expects, for example one whose {@code api_url} belongs to a known PIM.
     */
    void replaceVerifier(JWTVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier);
    }

    /**
     * Applies a delivery once per idempotency key ({@code null} when the request carries none). A repeated key
     * gets the first answer again without the catalog changing; a key reused for another event or resource is
     * refused with 422, since it points at a bug in the sender.
     */
    Answer deliver(String idempotencyKey, Delivery delivery) {
        lock.lock();
        try {
            if (idempotencyKey != null) {
                Remembered earlier = answeredKeys.get(idempotencyKey);
                if (earlier != null) {
                    if (earlier.event().equals(delivery.event())
                            && Objects.equals(earlier.resourceId(), delivery.resourceId())) {
                        return Answer.duplicate(earlier.reply());
                    }
                    return Answer.invalid(422, "idempotency_key_reused", "X-Idempotency-Key was first used for "
                            + earlier.event() + " " + Objects.requireNonNullElse(earlier.resourceId(), "")
                            + ", not for " + delivery.event() + " "
                            + Objects.requireNonNullElse(delivery.resourceId(), ""));
                }
            }
            Optional<ObjectNode> customs = catalog.apply(delivery);
            HttpReply reply = customs
                    .map(value -> HttpReply.json(200, Json.object().set("resource_customs", value)))
                    .orElseGet(HttpReply::noContent);
            if (idempotencyKey != null) {
                remember(idempotencyKey, new Remembered(delivery.event(), delivery.resourceId(), reply));
            }
            return Answer.accepted(reply);
        } finally {
            lock.unlock();
        }
    }

    /** Stores configuration step {@code index}, replacing an earlier one. */
    void configure(int index, ObjectNode step) {
        lock.lock();
        try {
            configuration[index] = step.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /** The stored steps, as {@code GET /configuration} answers them. */
    ArrayNode configuration() {
        lock.lock();
        try {
            ArrayNode steps = Json.MAPPER.createArrayNode();
            for (ObjectNode step : configuration) {
                if (step == null) {
                    steps.addNull();
                } else {
                    steps.add(step.deepCopy());
                }
            }
            return steps;
        } finally {
            lock.unlock();
        }
    }

    /** Whether every configuration step is stored: until then, synchronization events are refused. */
    boolean configured() {
        lock.lock();
        try {
            for (ObjectNode step : configuration) {
                if (step == null) {
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Reads the catalog while no delivery changes it. */
    <T> T read(Function<Catalog, T> reader) {
        lock.lock();
        try {
            return reader.apply(catalog);
        } finally {
            lock.unlock();
        }
    }

    private void remember(String key, Remembered answer) {
        answeredKeys.put(key, answer);
        if (answeredKeys.size() > REMEMBERED_KEYS) {
            Iterator<String> oldest = answeredKeys.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }
}
