package dev.syncline.testing.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The emulated event source mapping holds each invocation to its function's time limit, as Lambda does. */
@AwsIntegrationTest
class SqsEventSourceTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(2);

    /** What one invocation saw and how it ended. */
    private record Invocation(String body, int remainingMillis, boolean interrupted, int receiveCount) {
    }

    @Test
    void invocationPastItsLimit_isInterrupted_andItsMessageComesBack(AwsStack stack) throws InterruptedException {
        {
            String queue = stack.names().workQueueUrl();
            stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("chunk-1"));
            BlockingQueue<Invocation> invocations = new LinkedBlockingQueue<>();

            try (SqsEventSource source = new SqsEventSource(stack.sqs(), queue, 1, 1, VISIBILITY, "worker", Duration.ofMillis(700),
                    (event, context) -> {
                        SQSEvent.SQSMessage message = event.getRecords().getFirst();
                        int remaining = context.getRemainingTimeInMillis();
                        int received = Integer.parseInt(message.getAttributes().get("ApproximateReceiveCount"));
                        boolean interrupted = false;
                        if (received == 1) {
                            try {
                                Thread.sleep(30_000); // a handler that would outlive its limit
                            } catch (InterruptedException e) {
                                interrupted = true;
                            }
                        }
                        invocations.add(new Invocation(message.getBody(), remaining, interrupted, received));
                        return new SQSBatchResponse(List.of());
                    })) {
                Invocation first = invocations.poll(10, TimeUnit.SECONDS);
                Invocation second = invocations.poll(15, TimeUnit.SECONDS);

                assertThat(first).isNotNull();
                assertThat(first.interrupted()).as("the abandoned invocation's thread is interrupted at its limit").isTrue();
                assertThat(first.remainingMillis()).as("the context reports the limit, not the template's 120 s").isBetween(1, 700);
                assertThat(second).as("the message came back after the visibility timeout").isNotNull();
                assertThat(second.body()).isEqualTo("chunk-1");
                assertThat(second.receiveCount()).isEqualTo(2);
                assertThat(source.timedOut()).isEqualTo(1);
            }
            assertThat(stack.approximateMessages(queue)).as("the invocation within its limit had it deleted").isZero();
        }
    }

    @Test
    void contextsRemainingTime_runsDownWithTheClock(AwsStack stack) throws InterruptedException {
        {
            String queue = stack.names().workQueueUrl();
            stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("chunk-1"));
            List<Integer> remaining = new CopyOnWriteArrayList<>();
            BlockingQueue<Boolean> done = new LinkedBlockingQueue<>();

            try (SqsEventSource source = new SqsEventSource(stack.sqs(), queue, 1, 1, VISIBILITY, "worker", FunctionTimeouts.WORKER,
                    (event, context) -> {
                        remaining.add(context.getRemainingTimeInMillis());
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        remaining.add(context.getRemainingTimeInMillis());
                        done.add(true);
                        return new SQSBatchResponse(List.of());
                    })) {
                assertThat(done.poll(10, TimeUnit.SECONDS)).isTrue();
                assertThat(source.timedOut()).isZero();
            }
            assertThat(remaining.get(0)).isBetween(119_000, 120_000);
            assertThat(remaining.get(0) - remaining.get(1)).isBetween(300, 2_000);
        }
    }

    @Test
    void close_leavesTheMessagesSentAfterIt_toTheNextPoller(AwsStack stack) throws InterruptedException {
        String queue = stack.names().workQueueUrl();
        List<String> handled = new CopyOnWriteArrayList<>();
        SqsEventSource source = new SqsEventSource(stack.sqs(), queue, 1, 4, VISIBILITY, "worker", FunctionTimeouts.WORKER,
                (event, context) -> {
                    handled.add(event.getRecords().getFirst().getBody());
                    return new SQSBatchResponse(List.of());
                });
        Thread.sleep(500); // its pollers are waiting in their receives

        source.close();
        stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("for-the-next-test"));
        Thread.sleep(1_500);

        assertThat(handled).as("nothing handled after the close").isEmpty();
        assertThat(stack.approximateMessages(queue)).as("no receive of the closed source took the message").isEqualTo(1);
    }

    @Test
    void aFewPollers_keepEveryInvocationSlotBusy(AwsStack stack) throws InterruptedException {
        String queue = stack.names().workQueueUrl();
        int concurrency = 3 * SqsEventSource.POLLERS;
        for (int i = 0; i < concurrency; i++) {
            int number = i;
            stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("chunk-" + number));
        }
        CountDownLatch allStarted = new CountDownLatch(concurrency);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (SqsEventSource source = new SqsEventSource(stack.sqs(), queue, 1, concurrency, VISIBILITY, "worker", FunctionTimeouts.WORKER,
                (event, context) -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    allStarted.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    return new SQSBatchResponse(List.of());
                })) {
            assertThat(allStarted.await(20, TimeUnit.SECONDS)).as("every message invoked at once, each in its own batch of one").isTrue();
            release.countDown();
            assertThat(most.get()).isEqualTo(concurrency);
            assertThat(source.invocations()).isEqualTo(concurrency);
        }
        assertThat(stack.approximateMessages(queue)).isZero();
    }
}
