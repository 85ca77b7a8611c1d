package dev.syncline.adapters.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first bytes of an App's answer and stops reading there: an App is not ours, and a huge or endless
 * body must cost neither memory nor time. Completes as soon as it holds {@code limit} bytes, cancelling the
 * rest of the body.
 */
final class ExcerptSubscriber implements HttpResponse.BodySubscriber<String> {

    private final byte[] buffer;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private int length;
    private Flow.Subscription subscription;

    ExcerptSubscriber(int limit) {
        this.buffer = new byte[limit];
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer item : items) {
            int take = Math.min(item.remaining(), buffer.length - length);
            item.get(buffer, length, take);
            length += take;
        }
        if (length == buffer.length && !result.isDone()) {
            subscription.cancel();
            complete();
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!result.isDone()) {
            result.completeExceptionally(error);
        }
    }

    @Override
    public void onComplete() {
        complete();
    }

    private void complete() {
        // A cut in the middle of a multi-byte character decodes to U+FFFD, harmless in an excerpt.
        result.complete(new String(buffer, 0, length, StandardCharsets.UTF_8));
    }
}
