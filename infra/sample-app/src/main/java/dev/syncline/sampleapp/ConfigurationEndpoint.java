package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code GET /configuration} (the stored steps, an array indexed like the schema's steps), {@code POST
 * /configuration} with {@code {"index", "configuration"}} (204 when stored, 422 with violations when refused), and
 * {@code GET /dictionary/{name}}; each verifies the token first, like every other request.
 */
final class ConfigurationEndpoint {

    private final Installations installations;
    private final TokenVerifier tokens;

    ConfigurationEndpoint(Installations installations, TokenVerifier tokens) {
        this.installations = installations;
        this.tokens = tokens;
    }

    Answer read(Call call) {
        return verified(call, installation -> Answer.accepted(HttpReply.json(200, installation.configuration())));
    }

    Answer submit(Call call) {
        JsonNode body = call.body();
        if (body.path("configuration").has(SampleConfiguration.SECRET)) {
            // Like a handshake's shared secret, the shop's key is never kept in the recording.
            ObjectNode shown = body.deepCopy();
            ((ObjectNode) shown.path("configuration")).put(SampleConfiguration.SECRET, ReceivedRequest.REDACTED);
            call.recordBodyAs(shown);
        }
        return verified(call, installation -> {
            JsonNode index = body.path("index");
            if (!index.canConvertToInt() || index.asInt() < 0 || index.asInt() >= SampleConfiguration.STEPS) {
                return Answer.invalid(400, "invalid_request", "index must be a step: 0 to "
                        + (SampleConfiguration.STEPS - 1));
            }
            List<ObjectNode> violations = SampleConfiguration.violations(index.asInt(), body.path("configuration"));
            if (!violations.isEmpty()) {
                return new Answer(HttpReply.json(422, SampleConfiguration.refusal(violations)),
                        ReceivedRequest.Outcome.INVALID, "configuration step " + index.asInt() + " refused");
            }
            installation.configure(index.asInt(), (ObjectNode) body.path("configuration"));
            return Answer.accepted(HttpReply.noContent());
        });
    }

    Answer dictionary(Call call, String name) {
        return verified(call, installation -> SampleConfiguration.dictionary(name)
                .map(body -> Answer.accepted(HttpReply.json(200, body)))
                .orElseGet(() -> Answer.invalid(404, "not_found", "the App has no dictionary '" + name + "'")));
    }

    private Answer verified(Call call, java.util.function.Function<Installation, Answer> handler) {
        // The fault switches concern synchronization events and files; configuration calls are always verified.
        var verification = tokens.verify(call.header(TokenVerifier.HEADER), Faults.none());
        if (verification instanceof TokenVerifier.Verification.Rejected rejected) {
            return Answer.rejected(rejected.reason());
        }
        var verified = (TokenVerifier.Verification.Verified) verification;
        call.claims(verified.claims());
        return handler.apply(installations.find(verified.installationId()).orElseThrow());
    }
}
