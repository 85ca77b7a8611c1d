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
import dev.syncline.core.plan.Payload;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
     * Reads a chunk file: streamed, each entry's fields read straight from the parser's tokens into the entry (payloads
     * as {@link Payload}s, numbers as {@link BigDecimal}s), and every state's bytes gathered into NDJSON and read in one
     * pass as the snapshot lines they are.
     *
     * @throws IllegalStateException when the file is not a chunk file of this format
     */
    static Chunk read(ChunkRef ref, InputStream file) throws IOException {
        byte[] document;
        try (InputStream json = Compression.decompressing(file)) {
            document = json.readAllBytes();
        }
        List<EntryFields> read = new ArrayList<>();
        Buffer stateLines = new Buffer(document.length / 2 + 16);
        int withState = 0;
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
                        EntryFields entry = entryFields(ref, json, document, stateLines);
                        read.add(entry);
                        withState += entry.hasState() ? 1 : 0;
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
        List<Resource> states = states(ref, stateLines, withState);
        List<PlannedEntry> entries = new ArrayList<>(read.size());
        int stateIndex = 0;
        for (EntryFields fields : read) {
            entries.add(fields.entry(fields.hasState() ? states.get(stateIndex++) : null));
        }
        return new Chunk(ref, entries);
    }

    /** An entry as read, but for its state, which is read with the chunk's other states. */
    private record EntryFields(Phase phase, String event, ResourceKey resource, List<ChangeEvent> events, PlanReason reason,
            boolean hasState, Map<String, Object> customs, int customsChunk) {

        PlannedEntry entry(Resource state) {
            return new PlannedEntry(phase, event, resource, events, reason, state, customs, customsChunk);
        }
    }

    /**
     * The entry whose object starts at the parser's current token, but for its state: the state's line goes to
     * {@code stateLines}. Fields it does not know are skipped.
     */
    private static EntryFields entryFields(ChunkRef ref, JsonParser json, byte[] document, ByteArrayOutputStream stateLines)
            throws IOException {
        Phase phase = null;
        String event = null;
        ResourceKey resource = null;
        List<ChangeEvent> events = null;
        PlanReason reason = null;
        boolean hasState = false;
        Map<String, Object> customs = null;
        int customsChunk = -1;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "phase" -> phase = enumValue(ref, Phase.class, json);
                case "event" -> event = text(ref, json, "event");
                case "resource" -> resource = resource(ref, json);
                case "events" -> events = events(ref, json);
                case "reason" -> reason = reason(ref, json);
                case "state" -> hasState = state(ref, json, document, stateLines);
                case "customs" -> customs = value == JsonToken.VALUE_NULL ? null : payload(ref, json, "customs");
                case "customs_chunk" -> customsChunk = value == JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : -1;
                default -> json.skipChildren();
            }
        }
        return new EntryFields(present(ref, phase, "phase"), present(ref, event, "event"), present(ref, resource, "resource"),
                present(ref, events, "events"), present(ref, reason, "reason"), hasState, customs, customsChunk);
    }

    /** Whether the entry has a state, whose object's bytes (its snapshot line) then went to {@code stateLines}. */
    private static boolean state(ChunkRef ref, JsonParser json, byte[] document, ByteArrayOutputStream stateLines) throws IOException {
        switch (json.currentToken()) {
            case VALUE_NULL -> {
                return false; // a deletion
            }
            case START_OBJECT -> {
                // The object's bytes are its snapshot line: the generator writes no line break outside a string.
                int from = Math.toIntExact(json.currentTokenLocation().getByteOffset());
                json.skipChildren();
                int to = Math.toIntExact(json.currentLocation().getByteOffset());
                stateLines.write(document, from, to - from);
                stateLines.write('\n');
                return true;
            }
            case VALUE_STRING -> {
                // A chunk written while states were kept as their line's text.
                String line = json.getText();
                if (line.indexOf('\n') >= 0) {
                    throw corrupt(ref, "a state spans several lines");
                }
                stateLines.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                stateLines.write('\n');
                return true;
            }
            default -> throw corrupt(ref, "a state is not an object");
        }
    }

    private static ResourceKey resource(ChunkRef ref, JsonParser json) throws IOException {
        expect(ref, json, JsonToken.START_OBJECT, "resource is not an object");
        ResourceType type = null;
        String id = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "type" -> type = enumValue(ref, ResourceType.class, json);
                case "id" -> id = text(ref, json, "resource id");
                default -> json.skipChildren();
            }
        }
        return new ResourceKey(present(ref, type, "resource type"), present(ref, id, "resource id"));
    }

    private static List<ChangeEvent> events(ChunkRef ref, JsonParser json) throws IOException {
        expect(ref, json, JsonToken.START_ARRAY, "events is not an array");
        List<ChangeEvent> events = new ArrayList<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            expect(ref, json, JsonToken.START_OBJECT, "an event is not an object");
            String type = null;
            Payload payload = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "type" -> type = text(ref, json, "event type");
                    case "payload" -> payload = payload(ref, json, "payload");
                    default -> json.skipChildren();
                }
            }
            events.add(new ChangeEvent(present(ref, type, "event type"), present(ref, payload, "payload")));
        }
        return events;
    }

    private static PlanReason reason(ChunkRef ref, JsonParser json) throws IOException {
        expect(ref, json, JsonToken.START_OBJECT, "reason is not an object");
        PlanReason.Kind kind = null;
        List<String> changed = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "kind" -> kind = enumValue(ref, PlanReason.Kind.class, json);
                case "changed" -> {
                    expect(ref, json, JsonToken.START_ARRAY, "reason.changed is not an array");
                    changed = new ArrayList<>();
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        changed.add(text(ref, json, "a changed field"));
                    }
                }
                default -> json.skipChildren();
            }
        }
        return new PlanReason(present(ref, kind, "reason kind"), present(ref, changed, "reason.changed"));
    }

    /**
     * The object at the parser's current token as the planner made it: {@link Payload}s for objects, lists, strings,
     * booleans, nulls, and every number a {@link BigDecimal} with the digits written.
     */
    private static Payload payload(ChunkRef ref, JsonParser json, String what) throws IOException {
        expect(ref, json, JsonToken.START_OBJECT, what + " is not an object");
        List<Object> fields = new ArrayList<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            fields.add(json.currentName());
            json.nextToken();
            fields.add(plain(ref, json));
        }
        try {
            return Payload.of(fields.toArray());
        } catch (IllegalArgumentException e) {
            throw corrupt(ref, what + ": " + e.getMessage());
        }
    }

    private static Object plain(ChunkRef ref, JsonParser json) throws IOException {
        return switch (json.currentToken()) {
            case START_OBJECT -> payload(ref, json, "an object");
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    items.add(plain(ref, json));
                }
                yield items;
            }
            case VALUE_STRING -> json.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> json.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw corrupt(ref, "unexpected " + json.currentToken());
        };
    }

    /** Every state of the chunk, in entry order, read from their lines in one pass. */
    private static List<Resource> states(ChunkRef ref, Buffer lines, int expected) {
        List<Resource> states = new ArrayList<>(expected);
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(lines.bytes(), 0, lines.size()), MAX_STATE_LINE_BYTES)) {
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

    private static void expect(ChunkRef ref, JsonParser json, JsonToken token, String problem) {
        if (json.currentToken() != token) {
            throw corrupt(ref, problem);
        }
    }

    private static <T> T present(ChunkRef ref, T value, String what) {
        if (value == null) {
            throw corrupt(ref, "an entry has no " + what);
        }
        return value;
    }

    private static String text(ChunkRef ref, JsonParser json, String what) throws IOException {
        expect(ref, json, JsonToken.VALUE_STRING, what + " is not a string");
        return json.getText();
    }

    private static <E extends Enum<E>> E enumValue(ChunkRef ref, Class<E> type, JsonParser json) throws IOException {
        String name = text(ref, json, type.getSimpleName());
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
