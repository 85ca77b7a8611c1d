package dev.syncline.core.installation;

import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.HttpUrl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link AppClient} that records every call in order and answers as the test scripted: 200
 * unless told otherwise.
 */
public final class ScriptedAppClient implements AppClient {

    /** One request the engine made to an App. */
    public record Call(URI url, AppTokenClaims claims, SharedSecret secret) {}

    private final List<Call> calls = new ArrayList<>();
    private AppCallOutcome handshakeAnswer = new AppResponse(200, "");
    private AppCallOutcome lifecycleAnswer = new AppResponse(200, "");

    public void answerHandshakeWith(AppCallOutcome outcome) {
        handshakeAnswer = outcome;
    }

    public void answerLifecycleEventsWith(AppCallOutcome outcome) {
        lifecycleAnswer = outcome;
    }

    @Override
    public synchronized AppCallOutcome handshake(
            HttpUrl appUrl, AppTokenClaims claims, SharedSecret secret) {
        calls.add(new Call(appUrl.resolve("handshake"), claims, secret));
        return handshakeAnswer;
    }

    @Override
    public synchronized AppCallOutcome sendLifecycleEvent(
            HttpUrl appUrl, AppEvent event, AppTokenClaims claims, SharedSecret secret) {
        calls.add(new Call(appUrl.resolve("consume/" + event.wireName()), claims, secret));
        return lifecycleAnswer;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The URLs called, in order: what an App's access log would show. */
    public synchronized List<String> calledUrls() {
        return calls.stream().map(call -> call.url().toString()).toList();
    }
}
