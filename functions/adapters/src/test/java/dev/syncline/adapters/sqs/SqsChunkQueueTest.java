package dev.syncline.adapters.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.sync.Phase;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@AwsIntegrationTest
class SqsChunkQueueTest {

    private static final UUID RUN = UUID.fromString("7d0f6f6e-4c1f-4d7a-9a55-0b3f2f0f8a11");

    private AwsClientFactory clients;
    private SqsQueue queue;
    private SqsChunkQueue chunks;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        queue = new SqsQueue(clients.sqs(), stack.names().workQueueUrl());
        chunks = new SqsChunkQueue(queue);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void send_thenParse_givesBackEveryChunkReference() {
        List<ChunkRef> sent = IntStream.range(0, 13).mapToObj(i -> new ChunkRef(RUN, i < 3 ? Phase.ATTRIBUTES : Phase.PRODUCTS, i)).toList();

        chunks.send(sent);

        List<ChunkRef> received = new ArrayList<>();
        List<QueueMessage> batch;
        do {
            batch = queue.receive(10, Duration.ZERO, Duration.ofMinutes(5));
            batch.forEach(message -> received.add(SqsChunkQueue.parse(message.body())));
        } while (!batch.isEmpty());
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void send_writesTheDocumentedBody() {
        chunks.send(List.of(new ChunkRef(RUN, Phase.RELATIONS, 42)));

        assertThat(queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5)).getFirst().body())
                .isEqualTo("{\"run_id\":\"" + RUN + "\",\"phase\":\"relations\",\"chunk\":42}");
    }

    @Test
    void handOn_writesTheNextPass_andParseWorkReadsItBack() {
        ChunkWork next = new ChunkWork(new ChunkRef(RUN, Phase.PRODUCTS, 7), 2);

        chunks.handOn(next);

        String body = queue.receive(1, Duration.ofSeconds(1), Duration.ofMinutes(5)).getFirst().body();
        assertThat(body).isEqualTo("{\"run_id\":\"" + RUN + "\",\"phase\":\"products\",\"chunk\":7,\"pass\":2}");
        assertThat(SqsChunkQueue.parseWork(body)).isEqualTo(next);
        assertThat(SqsChunkQueue.parseWork("{\"run_id\":\"" + RUN + "\",\"phase\":\"products\",\"chunk\":7}"))
                .as("a released chunk's message is its first pass").isEqualTo(new ChunkWork(new ChunkRef(RUN, Phase.PRODUCTS, 7), 0));
    }

    @Test
    void parseWork_aNegativePass_isRejectedSayingWhatIsAllowed() {
        assertThatThrownBy(() -> SqsChunkQueue.parseWork("{\"run_id\":\"" + RUN + "\",\"phase\":\"products\",\"chunk\":7,\"pass\":-1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("pass must be a whole number, 0 or more");
    }

    @Test
    void parse_acceptsFieldsInAnyOrderAndIgnoresUnknownOnes() {
        assertThat(SqsChunkQueue.parse("{\"chunk\": 3, \"trace\": \"x\", \"phase\": \"categories\", \"run_id\": \"" + RUN + "\"}"))
                .isEqualTo(new ChunkRef(RUN, Phase.CATEGORIES, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "[1, 2]",
            "{\"phase\": \"products\", \"chunk\": 1}",
            "{\"run_id\": \"7d0f6f6e-4c1f-4d7a-9a55-0b3f2f0f8a11\", \"phase\": \"products\"}",
            "{\"run_id\": \"run-1\", \"phase\": \"products\", \"chunk\": 1}",
            "{\"run_id\": \"7d0f6f6e-4c1f-4d7a-9a55-0b3f2f0f8a11\", \"phase\": \"PRODUCTS\", \"chunk\": 1}",
            "{\"run_id\": \"7d0f6f6e-4c1f-4d7a-9a55-0b3f2f0f8a11\", \"phase\": \"orders\", \"chunk\": 1}",
            "{\"run_id\": \"7d0f6f6e-4c1f-4d7a-9a55-0b3f2f0f8a11\", \"phase\": \"products\", \"chunk\": \"1\"}",
            "{\"run_id\": \"7d0f6f6e-4c1f-4d7a-9a55-0b3f2f0f8a11\", \"phase\": \"products\", \"chunk\": -1}",
            "{\"run_id\": \"7d0f6f6e-4c1f-4d7a-9a55-0b3f2f0f8a11\", \"phase\": \"products\", \"chunk\": 1.5}"})
    void parse_aMalformedBody_isRejectedNamingTheExpectedShape(String body) {
        assertThatThrownBy(() -> SqsChunkQueue.parse(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The work message is not a chunk reference {\"run_id\": \"<uuid>\", \"phase\": \"<phase>\", \"chunk\": <number>}: ");
    }

    @Test
    void parse_anUnknownPhase_namesThePhasesThatExist() {
        assertThatThrownBy(() -> SqsChunkQueue.parse("{\"run_id\": \"" + RUN + "\", \"phase\": \"orders\", \"chunk\": 1}"))
                .hasMessageEndingWith("phase 'orders' is not one of attributes, categories, products, relations");
    }

    @Test
    void waiting_countsTheMessagesNoWorkerHasTakenYet() {
        assertThat(chunks.waiting()).isZero();
        chunks.send(IntStream.range(0, 3).mapToObj(i -> new ChunkRef(RUN, Phase.PRODUCTS, i)).toList());
        assertThat(chunks.waiting()).isEqualTo(3);

        queue.receive(2, Duration.ZERO, Duration.ofMinutes(5));

        assertThat(chunks.waiting()).as("those a worker holds are not waiting").isEqualTo(1);
    }
}
