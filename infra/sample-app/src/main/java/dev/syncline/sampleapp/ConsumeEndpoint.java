package dev.syncline.sampleapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * {@code PUT /consume/{event}}: verify the token, read the body, apply it to the installation's catalog once
 * per {@code X-Idempotency-Key}, and answer 200 with {@code resource_customs} for a product, 204 otherwise. Until
 * every configuration step is stored, synchronization events are refused with 422 {@code not_configured}.
 */
final class ConsumeEndpoint {

    static final String IDEMPOTENCY_HEADER = "X-Idempotency-Key";
    private static final Set<String> LIFECYCLE_EVENTS = Set.of("app_installed", "app_uninstalled");

    private final Installations installations;
    private final TokenVerifier tokens;
    private final FaultInjector faults;

    ConsumeEndpoint(Installations installations, TokenVerifier tokens, FaultInjector faults) {
        this.installations = installations;
        this.tokens = tokens;
        this.faults = faults;
    }

    Answer handle(Call call, String event) {
        call.event(event);
        Faults current = faults.current();
        FaultInjector.delay(current);

        var verification = tokens.verify(call.header(TokenVerifier.HEADER), current);
        if (verification instanceof TokenVerifier.Verification.Rejected rejected) {
            return Answer.rejected(rejected.reason());
        }
        var verified = (TokenVerifier.Verification.Verified) verification;
        call.claims(verified.claims());

        if (!Delivery.EVENTS.contains(event)) {
            return Answer.invalid(404, "unknown_event", "'" + event + "' is not an event of the Apps protocol");
        }
        Optional<Answer> failure = faults.failure(call, current);
        if (failure.isPresent()) {
            return failure.get();
        }
        if (!call.bodyIsJson()) {
            return Answer.invalid(400, "invalid_request", "the body is not JSON");
        }
        Delivery delivery = Delivery.parse(event, call.body());
        Optional<Answer> refused = FaultInjector.resourceFailure(current, delivery.resourceId());
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<Installation> installation = installations.find(verified.installationId());
        if (installation.isEmpty()) {
            // Only with the defect ACCEPT_UNKNOWN_INSTALLATIONS: a careless App acknowledges what it cannot apply.
            return Answer.accepted(HttpReply.noContent());
        }
        if (!LIFECYCLE_EVENTS.contains(event) && !installation.get().configured()) {
            // As real Apps do: without its configuration the App would not know where the data goes.
            return Answer.invalid(422, "not_configured", "installation " + installation.get().id()
                    + " is not configured: submit every configuration step with POST /configuration first");
        }
        String key = current.has(Faults.Defect.IGNORE_IDEMPOTENCY_KEYS) ? null : call.header(IDEMPOTENCY_HEADER);
        Answer answer = installation.get().deliver(key, delivery);
        return current.has(Faults.Defect.MALFORMED_RESOURCE_CUSTOMS) ? customsAsText(answer) : answer;
    }

    /** The answer with {@code resource_customs} turned into a string, as an App that breaks the protocol sends. */
    private static Answer customsAsText(Answer answer) {
        byte[] body = answer.reply().body();
        if (body.length == 0) {
            return answer;
        }
        ObjectNode json;
        try {
            json = (ObjectNode) Json.parse(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the App's own answer is JSON", e);
        }
        if (!json.has("resource_customs")) {
            return answer;
        }
        json.put("resource_customs", json.get("resource_customs").toString());
        return new Answer(HttpReply.json(answer.reply().status(), json), answer.outcome(), answer.reason());
    }
}
