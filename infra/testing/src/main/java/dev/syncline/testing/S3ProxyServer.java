package dev.syncline.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/** S3: S3Proxy inside this JVM, in memory ({@code transient}) or on disk ({@code filesystem}). */
final class S3ProxyServer implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;

    private S3ProxyServer(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** @param dataDirectory where objects are kept, or null to keep them in memory */
    static S3ProxyServer start(int requestedPort, Path dataDirectory, String accessKeyId, String secretAccessKey) {
        int port = requestedPort == 0 ? FreePorts.pick() : requestedPort;
        if (requestedPort != 0) {
            FreePorts.requireFree(port, "S3 (S3Proxy)", "--s3-port");
        }
        Properties properties = new Properties();
        String provider = "transient";
        if (dataDirectory != null) {
            provider = "filesystem";
            properties.setProperty("jclouds.filesystem.basedir", dataDirectory.toAbsolutePath().toString());
        }
        BlobStore blobStore = BlobStores.create(provider, properties);
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new EmulatorStartException("S3Proxy did not start within 30 s on port " + port);
                }
                Thread.sleep(10);
            }
        } catch (EmulatorStartException e) {
            throw e;
        } catch (Exception e) {
            throw new EmulatorStartException("S3Proxy could not start on port " + port + ": " + e.getMessage(), e);
        }
        return new S3ProxyServer(proxy, endpoint);
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }
}
