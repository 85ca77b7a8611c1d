package dev.syncline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class EmulatorsTest {

    @Test
    void emulators_startTogetherAndServeTheCreatedResources() {
        try (Emulators emulators = Emulators.start(Emulators.Options.inMemory());
                AwsStack stack = AwsStack.create(emulators.endpoints(), "startup")) {
            System.out.printf("emulators started in %d ms%n", emulators.startupTime().toMillis());

            stack.sqs().sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("chunk-1"));
            stack.s3().putObject(b -> b.bucket(stack.names().bucket()).key("k"), RequestBody.fromString("v"));

            assertThat(stack.dynamoDb().describeTable(b -> b.tableName(stack.names().table())).table().globalSecondaryIndexes())
                    .extracting(index -> index.indexName())
                    .containsExactly("gsi1");
            assertThat(stack.approximateMessages(stack.names().workQueueUrl())).isEqualTo(1);
            assertThat(stack.s3().getObjectAsBytes(b -> b.bucket(stack.names().bucket()).key("k")).asUtf8String()).isEqualTo("v");
        }
    }

    @Test
    void close_stopsTheDynamoDbChildProcess() {
        Emulators emulators = Emulators.start(Emulators.Options.inMemory());
        long pid = emulators.dynamoDbProcessId();
        assertThat(ProcessHandle.of(pid)).isPresent();

        emulators.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void dynamoDbChild_whenItsJvmIsKilled_exitsToo() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KeepEmulatorsRunning.class.getName())
                .redirectErrorStream(true)
                .start();
        long dynalitePid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("dynalite pid "));
            assertThat(line).as("the child JVM reports its dynalite pid").isNotNull();
            dynalitePid = Long.parseLong(line.substring("dynalite pid ".length()));
            assertThat(ProcessHandle.of(dynalitePid)).isPresent();

            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            jvm.waitFor(10, TimeUnit.SECONDS);
        }

        ProcessHandle dynalite = ProcessHandle.of(dynalitePid).orElse(null);
        if (dynalite != null) {
            dynalite.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(dynalitePid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void start_whenAPortIsTaken_namesThePortAndTheOptionToChange() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            assertThatThrownBy(() -> Emulators.start(new Emulators.Options(null, port, 0, 0)).close())
                    .isInstanceOf(EmulatorStartException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("--dynamodb-port");
        }
    }

    @Test
    void onDisk_stateSurvivesARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) {
        Emulators.Options options = new Emulators.Options(data, 0, 0, 0);
        try (Emulators emulators = Emulators.start(options); AwsStack stack = AwsStack.create(emulators.endpoints(), "disk")) {
            stack.dynamoDb().putItem(b -> b.tableName(stack.names().table()).item(java.util.Map.of(
                    "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("a"),
                    "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("b"))));
            stack.s3().putObject(b -> b.bucket(stack.names().bucket()).key("feed.csv"), RequestBody.fromString("sku\n1\n"));
        }
        try (Emulators emulators = Emulators.start(options); AwsStack stack = AwsStack.create(emulators.endpoints(), "disk")) {
            assertThat(stack.dynamoDb().scan(b -> b.tableName(stack.names().table())).count()).isEqualTo(1);
            assertThat(stack.s3().getObjectAsBytes(b -> b.bucket(stack.names().bucket()).key("feed.csv")).asUtf8String())
                    .isEqualTo("sku\n1\n");
        }
    }

    /** Started in a child JVM by the kill test. */
    static final class KeepEmulatorsRunning {
        public static void main(String[] args) throws InterruptedException {
            Emulators emulators = Emulators.start(Emulators.Options.inMemory());
            System.out.println("dynalite pid " + emulators.dynamoDbProcessId());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(2));
            emulators.close();
        }
    }

}
