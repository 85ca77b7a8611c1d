package dev.syncline.adapters.sqs;

import static dev.syncline.core.SynclineException.quote;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.core.delivery.ChunkQueue;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.sync.Phase;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The work queue: one message per released chunk, {@code {"run_id": "<uuid>", "phase": "products", "chunk": 7}},
 * sent in batches of ten; a chunk's later pass (see {@link ChunkWork}) adds {@code "pass": 1}, 2, ...
 */
public final class SqsChunkQueue implements ChunkQueue {

    // Static because parse is: the handlers read bodies without an instance. The codec is thread-safe.
    private static final JsonCodec JSON = JsonCodec.create();
    private static final String SHAPE = "{\"run_id\": \"<uuid>\", \"phase\": \"<phase>\", \"chunk\": <number>}";

    private final SqsQueue queue;

    public SqsChunkQueue(SqsQueue queue) {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /** The body of a work message; {@code pass} is left out for a chunk's first pass. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChunkMessage(String runId, String phase, int chunk, Integer pass) {
    }

    @Override
    public void send(List<ChunkRef> chunks) {
        queue.send(chunks.stream().map(ChunkWork::of).map(SqsChunkQueue::body).toList());
    }

    @Override
    public long waiting() {
        return queue.waiting();
    }

    @Override
    public void handOn(ChunkWork next) {
        queue.send(List.of(body(next)));
    }

    private static String body(ChunkWork work) {
        ChunkRef ref = work.ref();
        return JSON.write(new ChunkMessage(ref.runId().toString(), ref.phase().wireName(), ref.chunk(), work.pass() == 0 ? null : work.pass()));
    }

    /**
     * Reads a work message back with its pass (0 when the message names none).
     *
     * @throws IllegalArgumentException saying what is wrong, when the body is not a chunk reference
     */
    public static ChunkWork parseWork(String body) {
        ChunkRef ref = parse(body);
        JsonNode pass = JSON.readTree(body).get("pass");
        if (pass == null || pass.isNull()) {
            return ChunkWork.of(ref);
        }
        if (!pass.isIntegralNumber() || !pass.canConvertToInt() || pass.intValue() < 0) {
            throw malformed("pass must be a whole number, 0 or more", null);
        }
        return new ChunkWork(ref, pass.intValue());
    }

    /**
     * Reads a work message back. Unknown fields are ignored, so a message of a newer version stays readable.
     *
     * @throws IllegalArgumentException saying what is wrong, when the body is not a chunk reference; such a
     *     message never becomes readable, so a handler should not retry it
     */
    public static ChunkRef parse(String body) {
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (MalformedJsonException e) {
            throw malformed(e.getMessage(), e);
        }
        if (!message.isObject()) {
            throw malformed("the body is not a JSON object", null);
        }
        UUID runId = SqsControlQueue.runId(message, SqsChunkQueue::malformed);
        JsonNode phaseField = message.get("phase");
        if (phaseField == null || !phaseField.isTextual()) {
            throw malformed("phase must be a string", null);
        }
        Phase phase = Arrays.stream(Phase.values())
                .filter(p -> p.wireName().equals(phaseField.textValue()))
                .findFirst()
                .orElseThrow(() -> malformed("phase " + quote(phaseField.textValue()) + " is not one of "
                        + Arrays.stream(Phase.values()).map(Phase::wireName).collect(Collectors.joining(", ")), null));
        JsonNode chunk = message.get("chunk");
        if (chunk == null || !chunk.isIntegralNumber() || !chunk.canConvertToInt()) {
            throw malformed("chunk must be a whole number", null);
        }
        if (chunk.intValue() < 0) {
            throw malformed("chunk must not be negative, got " + chunk.intValue(), null);
        }
        return new ChunkRef(runId, phase, chunk.intValue());
    }

    private static IllegalArgumentException malformed(String problem, Throwable cause) {
        return new IllegalArgumentException("The work message is not a chunk reference " + SHAPE + ": " + problem, cause);
    }
}
