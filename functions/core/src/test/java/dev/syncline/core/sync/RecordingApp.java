package dev.syncline.core.sync;

import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.AppEndpoint;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ConsumeRequest;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.installation.AppClient;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An App that accepts everything and writes down what it received, in order, as its access log would show it:
 * {@code handshake}, {@code app_uninstalled}, {@code synchronization_started}, {@code product_created SKU-1},
 * {@code synchronization_ended cancelled}. A test may run something on each consume request (a cancel arriving
 * mid-chunk), and may say how it answers one.
 */
public final class RecordingApp implements AppEndpoint, AppClient {

    /** How it answers a consume request unless told otherwise. */
    public static final DeliveryAttempt ACCEPTED = new DeliveryAttempt.Answered(204, "", null, null);

    private final List<String> received = new ArrayList<>();
    private volatile Consumer<ConsumeRequest> onConsume = request -> {
    };
    private volatile Function<ConsumeRequest, DeliveryAttempt> answer = request -> ACCEPTED;

    @Override
    public DeliveryAttempt consume(AppTarget target, ConsumeRequest request) {
        synchronized (this) {
            received.add(request.event() + " " + request.resource().id());
        }
        onConsume.accept(request);
        return answer.apply(request);
    }

    @Override
    public synchronized DeliveryAttempt notify(AppTarget target, String event, Map<String, Object> body, String idempotencyKey) {
        Object status = body.get("synchronization") instanceof Map<?, ?> run && event.equals(AppEvent.SYNCHRONIZATION_ENDED.wireName())
                ? " " + run.get("status") : "";
        received.add(event + status);
        return new DeliveryAttempt.Answered(200, "", null, null);
    }

    @Override
    public synchronized AppCallOutcome handshake(HttpUrl appUrl, AppTokenClaims claims, SharedSecret secret) {
        received.add("handshake");
        return new AppResponse(200, "");
    }

    @Override
    public synchronized AppCallOutcome sendLifecycleEvent(HttpUrl appUrl, AppEvent event, AppTokenClaims claims, SharedSecret secret) {
        received.add(event.wireName());
        return new AppResponse(200, "");
    }

    public void onConsume(Consumer<ConsumeRequest> action) {
        onConsume = action;
    }

    /** How it answers consume requests from now on (it still writes each one down first). */
    public void answer(Function<ConsumeRequest, DeliveryAttempt> answer) {
        this.answer = answer;
    }

    public synchronized List<String> received() {
        return List.copyOf(received);
    }

    /** What it received after the installation's handshake. */
    public synchronized List<String> receivedSinceInstall() {
        return List.copyOf(received.subList(received.indexOf("handshake") + 1, received.size()));
    }

    public synchronized void forget() {
        received.clear();
    }
}
