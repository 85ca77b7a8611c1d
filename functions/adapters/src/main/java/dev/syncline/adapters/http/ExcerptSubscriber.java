package dev.syncline.adapters.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first bytes of an App's answer and stops reading there: an App is not ours, and a huge or endless
 * body must cost neither memory nor time. Completes as soon as it holds {@code limit} bytes, cancelling the
 * rest of the body. Its buffer grows with what arrives, up to the limit: most answers are a few bytes, and a
 * buffer of the limit (64 KB for a consume request) allocated for each of them was most of what a worker allocates.
 */
final class ExcerptSubscriber implements HttpResponse.BodySubscriber<String> {

    /** The first buffer's size, grown by doubling up to the limit. */
    private static final int FIRST_BUFFER = 512;

    private final int limit;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private byte[] buffer;
    private int length;
    private Flow.Subscription subscription;

    ExcerptSubscriber(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.buffer = new byte[Math.min(limit, FIRST_BUFFER)];
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
            int take = Math.min(item.remaining(), limit - length);
            if (length + take > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(length + take, 2 * buffer.length)));
            }
            item.get(buffer, length, take);
            length += take;
        }
        if (length == limit && !result.isDone()) {
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
