package dev.syncline.sampleapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a test waiting on the record sees, while requests keep arriving, are dropped for the capacity or cleared. */
class RecorderTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private static ReceivedRequest request(String event) {
        return new ReceivedRequest("PUT", "/consume/" + event, event, null, Map.of(), Map.of(), Instant.now(), 200, Outcome.ACCEPTED, null);
    }

    @Test
    void await_returnsEveryMatch_inArrivalOrder_onceEnoughArrived() throws Exception {
        Recorder recorder = new Recorder(100);
        recorder.add(request("product_created"));
        recorder.add(request("other"));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<ReceivedRequest>> awaited = threads.submit(() -> recorder.await(r -> r.event().startsWith("product"), 3, LONG));
            recorder.add(request("product_updated"));
            assertThat(awaited.isDone()).as("two of three arrived").isFalse();
            recorder.add(request("other"));
            recorder.add(request("product_deleted"));

            assertThat(awaited.get(5, TimeUnit.SECONDS)).extracting(ReceivedRequest::event)
                    .containsExactly("product_created", "product_updated", "product_deleted");
        }
    }

    @Test
    void await_countsOnlyWhatTheRecordStillHolds() {
        Recorder recorder = new Recorder(2);
        recorder.add(request("match"));
        recorder.add(request("other"));
        recorder.add(request("other")); // drops the match

        assertThatThrownBy(() -> recorder.await(r -> r.event().equals("match"), 1, Duration.ofMillis(50)))
                .hasMessageContaining("but 0 arrived");
    }

    @Test
    void await_afterClear_countsOnlyWhatArrivedSince() throws Exception {
        Recorder recorder = new Recorder(100);
        recorder.add(request("match"));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<ReceivedRequest>> awaited = threads.submit(() -> recorder.await(r -> r.event().equals("match"), 2, LONG));
            Thread.sleep(50);
            recorder.clear();
            recorder.add(request("match"));
            Thread.sleep(50);
            assertThat(awaited.isDone()).as("the match before the clear is gone").isFalse();
            recorder.add(request("match"));

            assertThat(awaited.get(5, TimeUnit.SECONDS)).hasSize(2);
        }
    }
}
