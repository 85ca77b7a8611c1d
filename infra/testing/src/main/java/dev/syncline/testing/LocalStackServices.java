package dev.syncline.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack in Docker, for running the same integration tests where a Docker engine exists. */
final class LocalStackServices implements AutoCloseable {

    private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.9");

    private final LocalStackContainer container;

    private LocalStackServices(LocalStackContainer container) {
        this.container = container;
    }

    private static volatile Boolean dockerAvailable;

    /** Asked once per JVM: Testcontainers probes every known Docker location, which takes a moment. */
    static boolean dockerAvailable() {
        if (dockerAvailable == null) {
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException e) {
                available = false;
            }
            dockerAvailable = available;
        }
        return dockerAvailable;
    }

    static LocalStackServices start() {
        LocalStackContainer container = new LocalStackContainer(IMAGE).withServices("dynamodb", "sqs", "s3");
        container.start();
        return new LocalStackServices(container);
    }

    AwsEndpoints endpoints() {
        java.net.URI endpoint = container.getEndpoint();
        return new AwsEndpoints(endpoint, endpoint, endpoint, container.getRegion(), container.getAccessKey(), container.getSecretKey());
    }

    @Override
    public void close() {
        container.stop();
    }
}
