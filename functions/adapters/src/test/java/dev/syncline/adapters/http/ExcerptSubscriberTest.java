package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ExcerptSubscriberTest {

    @Test
    void anAnswerInPiecesOfEverySize_isKeptWhole_whenItFitsTheLimit() {
        String answer = "{\"resource_customs\":{\"external_id\":\"" + "x".repeat(3_000) + "\"}}";
        ExcerptSubscriber excerpt = new ExcerptSubscriber(64 * 1024);
        Cancels subscription = new Cancels();
        excerpt.onSubscribe(subscription);

        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        int[] pieces = {1, 510, 2, 600, 1_500};
        int from = 0;
        for (int piece : pieces) {
            excerpt.onNext(List.of(ByteBuffer.wrap(bytes, from, piece)));
            from += piece;
        }
        excerpt.onNext(List.of(ByteBuffer.wrap(bytes, from, 10), ByteBuffer.wrap(bytes, from + 10, bytes.length - from - 10)));
        excerpt.onComplete();

        assertThat(excerpt.getBody().toCompletableFuture().join()).isEqualTo(answer);
        assertThat(subscription.cancelled).isFalse();
    }

    @Test
    void anAnswerLongerThanTheLimit_endsAtTheLimit_andCancelsTheRest() {
        ExcerptSubscriber excerpt = new ExcerptSubscriber(1_000);
        Cancels subscription = new Cancels();
        excerpt.onSubscribe(subscription);

        excerpt.onNext(List.of(ByteBuffer.wrap("a".repeat(700).getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap("b".repeat(700).getBytes(StandardCharsets.UTF_8))));

        assertThat(excerpt.getBody().toCompletableFuture().join()).isEqualTo("a".repeat(700) + "b".repeat(300));
        assertThat(subscription.cancelled).isTrue();
    }

    @Test
    void anEmptyAnswer_isEmpty() {
        ExcerptSubscriber excerpt = new ExcerptSubscriber(10);
        excerpt.onSubscribe(new Cancels());
        excerpt.onComplete();

        assertThat(excerpt.getBody().toCompletableFuture().join()).isEmpty();
    }

    @Test
    void aLimitOfNothing_isRefused() {
        assertThatThrownBy(() -> new ExcerptSubscriber(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final class Cancels implements Flow.Subscription {
        boolean cancelled;

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
