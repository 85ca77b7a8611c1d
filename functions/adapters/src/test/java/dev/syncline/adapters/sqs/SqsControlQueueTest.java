package dev.syncline.adapters.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@AwsIntegrationTest
class SqsControlQueueTest {

    private AwsClientFactory clients;
    private SqsQueue queue;
    private SqsControlQueue control;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        queue = new SqsQueue(clients.sqs(), stack.names().controlQueueUrl());
        control = new SqsControlQueue(queue);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void prepare_sendsTheRunTheHandlerParsesBack() {
        UUID run = UUID.randomUUID();

        control.prepare(run);

        String body = queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5)).getFirst().body();
        assertThat(body).isEqualTo("{\"run_id\":\"" + run + "\"}");
        assertThat(SqsControlQueue.parse(body)).isEqualTo(run);
    }

    @Test
    void fetchFile_sendsAMessageTheHandlerReadsAsAFileFetch_whilePrepareMessagesStayPlanning() {
        UUID run = UUID.randomUUID();

        control.fetchFile(run);

        String body = queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5)).getFirst().body();
        assertThat(body).isEqualTo("{\"run_id\":\"" + run + "\",\"step\":\"fetch_file\"}");
        assertThat(SqsControlQueue.read(body)).isEqualTo(new SqsControlQueue.Message(run, SqsControlQueue.Step.FETCH_FILE));
        assertThat(SqsControlQueue.read("{\"run_id\":\"" + run + "\"}")).isEqualTo(new SqsControlQueue.Message(run, SqsControlQueue.Step.PREPARE));
        assertThatThrownBy(() -> SqsControlQueue.read("{\"run_id\":\"" + run + "\",\"step\":\"explode\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step \"explode\" is not \"fetch_file\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "{\"run_id\": null}", "{\"run_id\": 7}", "{\"run_id\": \"run-7\"}", "{\"run_id\": \"1-2-3-4-5\"}", "\"x\""})
    void parse_aMalformedBody_isRejectedNamingTheExpectedShape(String body) {
        assertThatThrownBy(() -> SqsControlQueue.parse(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The control message is not {\"run_id\": \"<uuid>\"}: ");
    }
}
