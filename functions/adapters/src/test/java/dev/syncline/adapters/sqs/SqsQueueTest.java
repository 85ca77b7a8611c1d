package dev.syncline.adapters.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwsIntegrationTest
class SqsQueueTest {

    private AwsClientFactory clients;
    private SqsQueue queue;
    private AwsStack stack;

    @BeforeEach
    void setUp(AwsStack stack) {
        this.stack = stack;
        clients = EmulatorClients.factory(stack);
        queue = new SqsQueue(clients.sqs(), stack.names().workQueueUrl());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void send_moreThanOneBatch_deliversEveryMessageOnce() {
        List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "chunk-" + i).toList();

        queue.send(bodies);

        assertThat(receiveAll()).extracting(QueueMessage::body).containsExactlyInAnyOrderElementsOf(bodies);
    }

    @Test
    void send_largeBodies_splitsBatchesBelowTheByteLimit() {
        String large = "x".repeat(100 * 1024);
        List<String> bodies = List.of(large + 1, large + 2, large + 3, large + 4, large + 5);

        queue.send(bodies);

        assertThat(receiveAll()).extracting(QueueMessage::body).containsExactlyInAnyOrderElementsOf(bodies);
    }

    @Test
    void send_aBodyOverTheLimit_isRefusedBeforeAnythingIsSent() {
        String tooLarge = "x".repeat(SqsQueue.MAX_BATCH_BYTES + 1);

        assertThatThrownBy(() -> queue.send(List.of("fine", tooLarge)))
                .isInstanceOf(QueueException.class)
                .hasMessageContaining("exceeds the SQS limit");
        assertThat(stack.approximateMessages(queue.url())).isZero();
    }

    @Test
    void delete_removesReceivedMessagesForGood() {
        queue.send(IntStream.range(0, 12).mapToObj(i -> "m" + i).toList());
        List<QueueMessage> received = receiveAll();

        queue.delete(received.stream().map(QueueMessage::receiptHandle).toList());

        assertThat(received).hasSize(12);
        assertThat(queue.receive(10, Duration.ZERO, Duration.ZERO)).isEmpty();
        assertThat(stack.approximateMessages(queue.url())).isZero();
    }

    @Test
    void changeVisibility_toZero_handsTheMessageOutAgainWithAHigherReceiveCount() {
        queue.send(List.of("retry-me"));
        QueueMessage first = queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5)).getFirst();
        assertThat(queue.receive(1, Duration.ZERO, Duration.ofMinutes(5))).as("hidden while in flight").isEmpty();

        queue.changeVisibility(first.receiptHandle(), Duration.ZERO);

        QueueMessage again = queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5)).getFirst();
        assertThat(again.body()).isEqualTo("retry-me");
        assertThat(again.receiveCount()).isEqualTo(2);
    }

    @Test
    void redrive_afterMaxReceiveCount_movesTheMessageToTheDeadLetterQueue() {
        queue.send(List.of("poison"));
        // The work queue's redrive allows 5 receives; the 6th attempt finds it in the dead-letter queue.
        for (int i = 0; i < 5; i++) {
            QueueMessage message = queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5)).getFirst();
            queue.changeVisibility(message.receiptHandle(), Duration.ZERO);
        }

        assertThat(queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5))).isEmpty();
        SqsQueue deadLetters = new SqsQueue(clients.sqs(), stack.names().workDeadLetterQueueUrl());
        assertThat(deadLetters.receive(1, Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .extracting(QueueMessage::body)
                .containsExactly("poison");
    }

    private List<QueueMessage> receiveAll() {
        List<QueueMessage> all = new ArrayList<>();
        List<QueueMessage> batch;
        do {
            batch = queue.receive(10, Duration.ofMillis(0), Duration.ofMinutes(5));
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }
}
