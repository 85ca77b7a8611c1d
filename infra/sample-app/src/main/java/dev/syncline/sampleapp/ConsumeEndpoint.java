package dev.syncline.sampleapp;

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

        var verification = tokens.verify(call.header(TokenVerifier.HEADER));
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
        Installation installation = installations.find(verified.installationId()).orElseThrow();
        if (!LIFECYCLE_EVENTS.contains(event) && !installation.configured()) {
            // As real Apps do: without its configuration the App would not know where the data goes.
            return Answer.invalid(422, "not_configured", "installation " + installation.id()
                    + " is not configured: submit every configuration step with POST /configuration first");
        }
        return installation.deliver(call.header(IDEMPOTENCY_HEADER), delivery);
    }
}
