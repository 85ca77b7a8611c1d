package dev.syncline.adapters.s3;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.syncline.adapters.compression.Compression;
import dev.syncline.adapters.json.JsonCodec;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chunk file: one zstd-compressed JSON object {@code {run_id, phase, chunk, entries: [...]}} (chunks written
 * before were gzip-compressed, and still read), each entry {@code {phase, event, resource: {type, id}, events:
 * [{type, payload}], reason: {kind, changed}, state, customs, customs_chunk?}} with {@code state} the resource as
 * the object of its snapshot line ({@link NdjsonResourceWriter}), or null for a deletion (chunks written before
 * held that line as a string, and are still read); {@code customs} the resource's {@code resource_customs}
 * ({@code {}} when none, null or absent when unknown: chunks written before the delivered state kept them);
 * {@code customs_chunk} the products chunk whose answers a relations entry sends ({@link PlannedEntry#customsChunk}),
 * absent when none.
 *
 * <p>Written and read with the {@link JsonCodec}, whose numbers are exact: payload values reach the App as the PIM
 * wrote them ({@code 19.90}, {@code 10}). Integers read back are turned into {@link BigDecimal}, like every number
 * the planner makes, so a loaded entry equals the planned one.
 */
final class S3ChunkStoreFormat {

    private static final JsonCodec JSON = JsonCodec.create();
    private static final String DOCUMENT_END = "]}";
    /** State lines are canonical forms of snapshot lines, which may come a little longer than the snapshot's limit. */
    private static final int MAX_STATE_LINE_BYTES = 4 * NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES;

    private S3ChunkStoreFormat() {
    }

    /** The chunk document as a tree. */
    static Map<String, Object> document(ChunkRef ref, List<Map<String, Object>> entries) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("run_id", ref.runId().toString());
        document.put("phase", ref.phase().wireName());
        document.put("chunk", ref.chunk());
        document.put("entries", entries);
        return document;
    }

    /**
     * The chunk document up to its first entry: {@code {"run_id":...,"entries":[}}. The document is this, its
     * entries separated by commas, then {@value #DOCUMENT_END}.
     */
    static byte[] documentStart(ChunkRef ref) {
        byte[] empty = JSON.writeBytes(document(ref, List.of()));
        return Arrays.copyOf(empty, empty.length - DOCUMENT_END.length());
    }

    /** The bytes of the chunk document with no entries: a chunk's size is this, plus its entries, plus a comma between two. */
    static int emptyDocumentSize(ChunkRef ref) {
        return documentStart(ref).length + DOCUMENT_END.length();
    }

    /**
     * The chunk file's bytes from entries already written by an {@link EntryWriter}, joined by commas, compressed as
     * {@link Compression} compresses: a plan writes its whole catalog as chunks, so compression time counts more than
     * the last few percent of size.
     */
    static byte[] write(ChunkRef ref, byte[] entries, int length) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(length / 6 + 64);
        try (OutputStream compressed = Compression.compressing(bytes)) {
            compressed.write(documentStart(ref));
            compressed.write(entries, 0, length);
            compressed.write(DOCUMENT_END.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes entries as the chunk holds them, {@code {phase, event, resource, events, reason, state}}, straight
     * with the generator into a buffer it reuses: no tree of maps per entry, and each entry serialized once.
     * Not thread-safe: one per plan.
     */
    static final class EntryWriter {
        private final Buffer entry = new Buffer(4 * 1024);
        private final JsonGenerator json = JSON.generator(entry);
        private final NdjsonResourceWriter states = NdjsonResourceWriter.within(json);

        /** The entry's JSON, in a buffer valid until the next call. */
        Buffer write(PlannedEntry planned) {
            entry.reset();
            try {
                json.writeStartObject();
                json.writeStringField("phase", planned.phase().wireName());
                json.writeStringField("event", planned.event());
                json.writeObjectFieldStart("resource");
                json.writeStringField("type", planned.resource().type().wireName());
                json.writeStringField("id", planned.resource().id());
                json.writeEndObject();
                json.writeArrayFieldStart("events");
                for (ChangeEvent event : planned.events()) {
                    json.writeStartObject();
                    json.writeStringField("type", event.type());
                    json.writeFieldName("payload");
                    JsonCodec.writePlain(json, event.payload());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeObjectFieldStart("reason");
                json.writeStringField("kind", planned.reason().kind().name().toLowerCase(Locale.ROOT));
                json.writeArrayFieldStart("changed");
                for (String field : planned.reason().changed()) {
                    json.writeString(field);
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeFieldName("state");
                if (planned.state() == null) {
                    json.writeNull();
                } else {
                    // The line's object itself, not the line as a string: nothing to escape here or to unescape in the worker.
                    states.writeValue(planned.state());
                }
                json.writeFieldName("customs");
                JsonCodec.writePlain(json, planned.customs());
                if (planned.customsChunk() >= 0) {
                    json.writeNumberField("customs_chunk", planned.customsChunk());
                }
                json.writeEndObject();
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a buffer does not fail
            }
            return entry;
        }
    }

    /** A byte buffer whose content is read in place. */
    static final class Buffer extends ByteArrayOutputStream {

        Buffer(int size) {
            super(size);
        }

        /** The bytes written, valid up to {@link #size()}, until the next write. */
        byte[] bytes() {
            return buf;
        }
    }

    /**
     * Reads a chunk file: streamed, each entry's fields but the state read as plain values, and every state's bytes
     * gathered into NDJSON and read in one pass as the snapshot lines they are.
     *
     * @throws IllegalStateException when the file is not a chunk file of this format
     */
    static Chunk read(ChunkRef ref, InputStream file) throws IOException {
        byte[] document;
        try (InputStream json = Compression.decompressing(file)) {
            document = json.readAllBytes();
        }
        List<Map<String, Object>> trees = new ArrayList<>();
        ByteArrayOutputStream stateLines = new ByteArrayOutputStream(document.length / 2 + 16);
        boolean hasEntries = false;
        try (JsonParser json = JSON.parser(document)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw corrupt(ref, "it is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("entries") && value == JsonToken.START_ARRAY) {
                    hasEntries = true;
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        trees.add(entryFields(ref, json, document, stateLines));
                    }
                    if (json.currentToken() != JsonToken.END_ARRAY) {
                        throw corrupt(ref, "an entry is not an object");
                    }
                } else {
                    json.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw corrupt(ref, e.getOriginalMessage());
        }
        if (!hasEntries) {
            throw corrupt(ref, "it has no entries array");
        }
        List<Resource> states = states(ref, stateLines, trees.stream().filter(tree -> tree.containsKey("state")).count());
        List<PlannedEntry> entries = new ArrayList<>(trees.size());
        int stateIndex = 0;
        for (Map<String, Object> tree : trees) {
            Resource state = tree.containsKey("state") ? states.get(stateIndex++) : null;
            entries.add(plannedEntry(ref, tree, state));
        }
        return new Chunk(ref, entries);
    }

    /**
     * The fields of the entry whose object starts at the parser's current token, as plain values, but for its
     * state: the state's line goes to {@code stateLines}, and the map holds {@code state} only when there is one.
     */
    private static Map<String, Object> entryFields(ChunkRef ref, JsonParser json, byte[] document, ByteArrayOutputStream stateLines)
            throws IOException {
        Map<String, Object> tree = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (!field.equals("state")) {
                tree.put(field, JSON.readValue(json));
                continue;
            }
            switch (value) {
                case VALUE_NULL -> {
                    // a deletion
                }
                case START_OBJECT -> {
                    // The object's bytes are its snapshot line: the generator writes no line break outside a string.
                    int from = Math.toIntExact(json.currentTokenLocation().getByteOffset());
                    json.skipChildren();
                    int to = Math.toIntExact(json.currentLocation().getByteOffset());
                    stateLines.write(document, from, to - from);
                    stateLines.write('\n');
                    tree.put("state", Boolean.TRUE);
                }
                case VALUE_STRING -> {
                    // A chunk written while states were kept as their line's text.
                    String line = json.getText();
                    if (line.indexOf('\n') >= 0) {
                        throw corrupt(ref, "a state spans several lines");
                    }
                    stateLines.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                    stateLines.write('\n');
                    tree.put("state", Boolean.TRUE);
                }
                default -> throw corrupt(ref, "a state is not an object");
            }
        }
        return tree;
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

    /** Every state of the chunk, in entry order, read from their lines in one pass. */
    private static List<Resource> states(ChunkRef ref, ByteArrayOutputStream lines, long expected) {
        List<Resource> states = new ArrayList<>(Math.toIntExact(expected));
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
}
