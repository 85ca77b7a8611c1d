package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * {@code POST /handshake} with {@code {"shared_secret": "..."}} and an {@code X-APP-TOKEN} signed with that
 * secret: the token proves the sender holds the secret; the App then keeps the secret under the token's
 * {@code app_installation_id} to verify every later request of that installation.
 */
final class HandshakeEndpoint {

    private final Installations installations;
    private final FaultInjector faults;

    HandshakeEndpoint(Installations installations, FaultInjector faults) {
        this.installations = installations;
        this.faults = faults;
    }

    Answer handle(Call call) {
        JsonNode body = call.body();
        if (body.isObject()) {
            ObjectNode shown = body.deepCopy();
            if (shown.has("shared_secret")) {
                shown.put("shared_secret", ReceivedRequest.REDACTED);
            }
            call.recordBodyAs(shown);
        }
        Faults current = faults.current();
        if (current.includeHandshake()) {
            FaultInjector.delay(current);
            Optional<Answer> failure = faults.failure(call, current);
            if (failure.isPresent()) {
                return failure.get();
            }
        }
        JsonNode secret = body.path("shared_secret");
        if (!secret.isTextual() || secret.asText().isBlank()) {
            return Answer.invalid(400, "invalid_request", "the body must be {\"shared_secret\": \"...\"}");
        }
        var verification = TokenVerifier.verifyHandshake(call.header(TokenVerifier.HEADER), secret.asText());
        return switch (verification) {
            case TokenVerifier.Verification.Rejected rejected -> Answer.rejected(rejected.reason());
            case TokenVerifier.Verification.Verified verified -> {
                call.claims(verified.claims());
                installations.register(verified.installationId(), secret.asText());
                yield Answer.accepted(HttpReply.noContent());
            }
        };
    }
}
