package dev.syncline.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DynamoDB: dynalite, a Node.js implementation of the DynamoDB protocol, as a child process. The child
 * watches its stdin (see {@code parent-watchdog.cjs}), so it ends with this JVM however the JVM ends.
 */
final class DynaliteProcess implements AutoCloseable {

    private static final int MINIMUM_NODE_MAJOR = 20;

    private final Process process;
    private final URI endpoint;

    private DynaliteProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** @param dataDirectory where tables are kept (LevelDB), or null to keep them in memory */
    static DynaliteProcess start(int requestedPort, Path dataDirectory) {
        Path home = emulatorHome();
        requireNode();
        int port = requestedPort == 0 ? FreePorts.pick() : requestedPort;
        if (requestedPort != 0) {
            FreePorts.requireFree(port, "DynamoDB (dynalite)", "--dynamodb-port");
        }
        List<String> command = new ArrayList<>(List.of(
                "node",
                "-r", home.resolve("parent-watchdog.cjs").toString(),
                home.resolve("node_modules/dynalite/cli.js").toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--createTableMs", "0",
                "--deleteTableMs", "0",
                "--updateTableMs", "0"));
        if (dataDirectory != null) {
            command.add("--path");
            command.add(dataDirectory.toAbsolutePath().toString());
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EmulatorStartException("Could not start dynalite with Node.js: " + e.getMessage(), e);
        }
        CompletableFuture<Void> listening = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread.ofPlatform().daemon().name("dynalite-output").start(() -> drain(process, listening, output));
        try {
            listening.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            throw new EmulatorStartException("dynalite did not start on port " + port + "; it printed: " + String.join("\n", output), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EmulatorStartException("Interrupted while starting dynalite", e);
        }
        return new DynaliteProcess(process, URI.create("http://127.0.0.1:" + port));
    }

    private static void drain(Process process, CompletableFuture<Void> listening, List<String> output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("Dynalite listening")) {
                    listening.complete(null);
                } else if (!listening.isDone()) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended; whoever waits learns it below.
        }
        listening.completeExceptionally(new IllegalStateException("dynalite exited"));
    }

    /**
     * Where {@code node_modules/dynalite} is: {@code SYNCLINE_EMULATOR_HOME} if set, else
     * {@code infra/testing} found from the working directory upwards.
     */
    static Path emulatorHome() {
        Optional<Path> configured = Optional.ofNullable(System.getenv("SYNCLINE_EMULATOR_HOME")).map(Path::of);
        Path home = configured.orElseGet(() -> {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("infra/testing/parent-watchdog.cjs"))) {
                    return dir.resolve("infra/testing");
                }
                if (Files.isRegularFile(dir.resolve("parent-watchdog.cjs"))) {
                    return dir;
                }
            }
            throw new EmulatorStartException(
                    "Cannot find infra/testing from " + Path.of("").toAbsolutePath()
                            + "; run from the Syncline checkout or set SYNCLINE_EMULATOR_HOME to its infra/testing folder.");
        });
        if (!Files.isRegularFile(home.resolve("node_modules/dynalite/cli.js"))) {
            throw new EmulatorStartException(
                    "dynalite is not installed in " + home + "; run 'npm ci' there (the Maven build does it when node_modules is missing).");
        }
        return home;
    }

    private static void requireNode() {
        String version;
        try {
            Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            probe.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new EmulatorStartException(
                    "Node.js " + MINIMUM_NODE_MAJOR + " or newer is needed to run dynalite (the DynamoDB emulator) and 'node' is not on the PATH; install Node.js.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulatorStartException("Interrupted while checking Node.js", e);
        }
        int major;
        try {
            major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        } catch (NumberFormatException e) {
            throw new EmulatorStartException("Cannot read the Node.js version from '" + version + "'; install Node.js " + MINIMUM_NODE_MAJOR + " or newer.", e);
        }
        if (major < MINIMUM_NODE_MAJOR) {
            throw new EmulatorStartException(
                    "Node.js " + version + " is too old for dynalite; install Node.js " + MINIMUM_NODE_MAJOR + " or newer.");
        }
    }

    URI endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
