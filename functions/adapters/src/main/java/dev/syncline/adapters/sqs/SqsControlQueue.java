package dev.syncline.adapters.sqs;

import static dev.syncline.core.SynclineException.quote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.core.sync.ControlQueue;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The control queue: {@code {"run_id": "<uuid>"}} asks for a run to be prepared, {@code {"run_id": "<uuid>",
 * "step": "fetch_file"}} for an ended run's file to be fetched.
 */
public final class SqsControlQueue implements ControlQueue {

    // Static because parse is: the planner reads bodies without an instance. The codec is thread-safe.
    private static final JsonCodec JSON = JsonCodec.create();

    private final SqsQueue queue;

    public SqsControlQueue(SqsQueue queue) {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /** The body of a control message. */
    record PrepareMessage(String runId) {
    }

    /** The body of a file fetch message. */
    record FetchFileMessage(String runId, String step) {
    }

    /** What a control message asks for. */
    public enum Step {
        PREPARE,
        FETCH_FILE
    }

    /** A control message read back. */
    public record Message(UUID runId, Step step) {
    }

    @Override
    public void prepare(UUID runId) {
        queue.send(List.of(JSON.write(new PrepareMessage(runId.toString()))));
    }

    @Override
    public void fetchFile(UUID runId) {
        queue.send(List.of(JSON.write(new FetchFileMessage(runId.toString(), "fetch_file"))));
    }

    /**
     * Reads a control message back: without {@code step} (as every message before file fetches) it asks for planning.
     *
     * @throws IllegalArgumentException saying what is wrong, for a body that is not a control message
     */
    public static Message read(String body) {
        UUID runId = parse(body);
        JsonNode step = JSON.readTree(body).get("step");
        if (step == null || step.isNull()) {
            return new Message(runId, Step.PREPARE);
        }
        if (step.isTextual() && step.textValue().equals("fetch_file")) {
            return new Message(runId, Step.FETCH_FILE);
        }
        throw malformed("step " + step + " is not \"fetch_file\"", null);
    }

    /**
     * Reads a control message back. Unknown fields are ignored, so a message of a newer version stays readable.
     *
     * @return the run it is about
     * @throws IllegalArgumentException saying what is wrong, when the body is not {@code {"run_id": "<uuid>"}}; such
     *     a message never becomes readable, so a handler should not retry it
     */
    public static UUID parse(String body) {
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (MalformedJsonException e) {
            throw malformed(e.getMessage(), e);
        }
        if (!message.isObject()) {
            throw malformed("the body is not a JSON object", null);
        }
        return runId(message, SqsControlQueue::malformed);
    }

    /** The {@code run_id} of a message, in the canonical form only: {@link UUID#fromString} would take "1-2-3-4-5". */
    static UUID runId(JsonNode message, BiFunction<String, Throwable, IllegalArgumentException> malformed) {
        JsonNode field = message.get("run_id");
        if (field == null || !field.isTextual()) {
            throw malformed.apply("run_id must be a string", null);
        }
        String text = field.textValue();
        try {
            UUID runId = UUID.fromString(text);
            if (runId.toString().equalsIgnoreCase(text)) {
                return runId;
            }
        } catch (IllegalArgumentException e) {
            throw malformed.apply("run_id " + quote(text) + " is not a UUID", e);
        }
        throw malformed.apply("run_id " + quote(text) + " is not a UUID", null);
    }

    private static IllegalArgumentException malformed(String problem, Throwable cause) {
        return new IllegalArgumentException("The control message is not {\"run_id\": \"<uuid>\"}: " + problem, cause);
    }
}
