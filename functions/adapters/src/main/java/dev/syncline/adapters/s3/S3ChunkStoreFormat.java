package dev.syncline.adapters.s3;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.adapters.json.NdjsonResourceWriter;
import dev.syncline.adapters.json.NdjsonSnapshotReader;
import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The chunk file: one gzip-compressed JSON object {@code {run_id, phase, chunk, entries: [...]}}, each entry
 * {@code {phase, event, resource: {type, id}, events: [{type, payload}], reason: {kind, changed}, state, customs,
 * customs_chunk?}} with {@code state} the resource's canonical NDJSON line ({@link NdjsonResourceWriter}) as a string,
 * or null for a deletion; {@code customs} the resource's {@code resource_customs} ({@code {}} when none, null or
 * absent when unknown: chunks written before the delivered state kept them); {@code customs_chunk} the products
 * chunk whose answers a relations entry sends ({@link PlannedEntry#customsChunk}), absent when none.
 *
 * <p>Written and read with the {@link JsonCodec}, whose numbers are exact: payload values reach the App as the PIM
 * wrote them ({@code 19.90}, {@code 10}). Integers read back are turned into {@link BigDecimal}, like every number
 * the planner makes, so a loaded entry equals the planned one.
 */
final class S3ChunkStoreFormat {

    private static final JsonCodec JSON = JsonCodec.create();
    private static final int GZIP_BUFFER_BYTES = 16 * 1024;
    /** State lines are canonical forms of snapshot lines, which may come a little longer than the snapshot's limit. */
    private static final int MAX_STATE_LINE_BYTES = 4 * NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES;

    private S3ChunkStoreFormat() {
    }

    /** One entry as a tree of plain values, ready to write. */
    static Map<String, Object> entry(PlannedEntry entry) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("type", entry.resource().type().wireName());
        resource.put("id", entry.resource().id());
        List<Map<String, Object>> events = new ArrayList<>(entry.events().size());
        for (ChangeEvent event : entry.events()) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("type", event.type());
            tree.put("payload", event.payload());
            events.add(tree);
        }
        Map<String, Object> reason = new LinkedHashMap<>();
        reason.put("kind", entry.reason().kind().name().toLowerCase(Locale.ROOT));
        reason.put("changed", entry.reason().changed());
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("phase", entry.phase().wireName());
        tree.put("event", entry.event());
        tree.put("resource", resource);
        tree.put("events", events);
        tree.put("reason", reason);
        tree.put("state", entry.state() == null ? null : NdjsonResourceWriter.line(entry.state()));
        tree.put("customs", entry.customs());
        if (entry.customsChunk() >= 0) {
            tree.put("customs_chunk", entry.customsChunk());
        }
        return tree;
    }

    /** The number of bytes {@code value} takes in JSON, as {@link #write} writes it. */
    static int size(Object value) {
        CountingStream counter = new CountingStream();
        JSON.write(counter, value);
        return counter.count;
    }

    /** The chunk document with no entries: a chunk's size is this, plus its entries, plus a comma between two. */
    static Map<String, Object> document(ChunkRef ref, List<Map<String, Object>> entries) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("run_id", ref.runId().toString());
        document.put("phase", ref.phase().wireName());
        document.put("chunk", ref.chunk());
        document.put("entries", entries);
        return document;
    }

    /** The chunk file's bytes: the document, gzip-compressed. */
    static byte[] write(Map<String, Object> document) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, GZIP_BUFFER_BYTES)) {
            JSON.write(gzip, document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a chunk file.
     *
     * @throws IllegalStateException when the file is not a chunk file of this format
     */
    static Chunk read(ChunkRef ref, InputStream gzip) throws IOException {
        Map<?, ?> document;
        try (InputStream json = new GZIPInputStream(gzip, GZIP_BUFFER_BYTES)) {
            document = JSON.read(json, Map.class);
        } catch (MalformedJsonException e) {
            throw corrupt(ref, e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!(document.get("entries") instanceof List<?> trees)) {
            throw corrupt(ref, "it has no entries array");
        }
        List<Resource> states = states(ref, trees);
        List<PlannedEntry> entries = new ArrayList<>(trees.size());
        int stateIndex = 0;
        for (Object item : trees) {
            Map<?, ?> tree = map(ref, item, "an entry");
            Resource state = tree.get("state") == null ? null : states.get(stateIndex++);
            entries.add(plannedEntry(ref, tree, state));
        }
        return new Chunk(ref, entries);
    }

    private static PlannedEntry plannedEntry(ChunkRef ref, Map<?, ?> tree, Resource state) {
        Map<?, ?> resource = map(ref, tree.get("resource"), "resource");
        List<ChangeEvent> events = new ArrayList<>();
        for (Object item : list(ref, tree.get("events"), "events")) {
            Map<?, ?> event = map(ref, item, "an event");
            events.add(new ChangeEvent(text(ref, event.get("type"), "event type"), payload(ref, event.get("payload"))));
        }
        Map<?, ?> reason = map(ref, tree.get("reason"), "reason");
        List<String> changed = new ArrayList<>();
        for (Object field : list(ref, reason.get("changed"), "reason.changed")) {
            changed.add(text(ref, field, "a changed field"));
        }
        return new PlannedEntry(
                enumValue(ref, Phase.class, tree.get("phase")),
                text(ref, tree.get("event"), "event"),
                new ResourceKey(enumValue(ref, ResourceType.class, resource.get("type")), text(ref, resource.get("id"), "resource id")),
                events,
                new PlanReason(enumValue(ref, PlanReason.Kind.class, reason.get("kind")), changed),
                state,
                tree.get("customs") == null ? null : payload(ref, tree.get("customs")),
                tree.get("customs_chunk") instanceof Number chunk ? chunk.intValue() : -1);
    }

    /** Every state of the chunk, in entry order, read in one pass as the NDJSON they are. */
    private static List<Resource> states(ChunkRef ref, List<?> trees) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int expected = 0;
        for (Object item : trees) {
            if (item instanceof Map<?, ?> tree && tree.get("state") != null) {
                String line = text(ref, tree.get("state"), "state");
                if (line.indexOf('\n') >= 0) {
                    throw corrupt(ref, "a state spans several lines");
                }
                lines.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                lines.write('\n');
                expected++;
            }
        }
        List<Resource> states = new ArrayList<>(expected);
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(lines.toByteArray()), MAX_STATE_LINE_BYTES)) {
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case SnapshotLine.Accepted accepted -> states.add(accepted.resource());
                    case SnapshotLine.Rejected rejected -> throw corrupt(ref, "a state does not read back: " + rejected.reason());
                }
            }
        }
        if (states.size() != expected) {
            throw corrupt(ref, "a state is blank");
        }
        return states;
    }

    /** A payload as the planner made it: maps, lists, strings, booleans, nulls, and every number a BigDecimal. */
    private static Map<String, Object> payload(ChunkRef ref, Object value) {
        Map<String, Object> payload = new LinkedHashMap<>();
        map(ref, value, "payload").forEach((key, item) -> payload.put((String) key, plain(item)));
        return payload;
    }

    private static Object plain(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((key, item) -> copy.put((String) key, plain(item)));
                yield copy;
            }
            case List<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                list.forEach(item -> copy.add(plain(item)));
                yield copy;
            }
            case BigInteger integer -> new BigDecimal(integer);
            case Integer integer -> BigDecimal.valueOf(integer);
            case Long integer -> BigDecimal.valueOf(integer);
            case null, default -> value;
        };
    }

    private static Map<?, ?> map(ChunkRef ref, Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw corrupt(ref, what + " is not an object");
    }

    private static List<?> list(ChunkRef ref, Object value, String what) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw corrupt(ref, what + " is not an array");
    }

    private static String text(ChunkRef ref, Object value, String what) {
        if (value instanceof String text) {
            return text;
        }
        throw corrupt(ref, what + " is not a string");
    }

    private static <E extends Enum<E>> E enumValue(ChunkRef ref, Class<E> type, Object value) {
        String name = text(ref, value, type.getSimpleName());
        try {
            return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw corrupt(ref, "\"" + name + "\" is not a " + type.getSimpleName());
        }
    }

    private static IllegalStateException corrupt(ChunkRef ref, String problem) {
        return new IllegalStateException("Chunk " + ref + " cannot be read: " + problem + "; it was written by another version or damaged");
    }

    private static final class CountingStream extends OutputStream {
        private int count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
