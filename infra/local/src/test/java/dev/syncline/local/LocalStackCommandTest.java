package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command says to bad use, before it starts anything. */
class LocalStackCommandTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return LocalStackCommand.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFailureRateAboveOne_isRefusedAsBadUsage() {
        assertThat(run("--failure-rate", "1.5")).isEqualTo(2);
        assertThat(errors()).contains("--failure-rate must be between 0 and 1, got 1.5").contains("Usage: syncline-local");
    }

    @Test
    void aNegativeAwsFaultRate_isRefusedAsBadUsage() {
        assertThat(run("--aws-fault-rate", "-0.1")).isEqualTo(2);
        assertThat(errors()).contains("--aws-fault-rate must be between 0 and 1, got -0.1").contains("Usage: syncline-local");
    }

    @Test
    void anUnknownMode_namesTheModesThereAre() {
        assertThat(run("--mode", "sometimes")).isEqualTo(2);
        assertThat(errors()).contains("--mode must be incremental or full, got 'sometimes'");
    }

    @Test
    void aMistypedOption_isNamedWithTheOneMeant() {
        assertThat(run("--product", "10")).isEqualTo(2);
        assertThat(errors()).contains("Unknown options: '--product'").contains("Possible solutions: --products");
    }

    @Test
    void wipe_refusesToDeleteADirectoryTheLocalStackDidNotMake() throws Exception {
        Path precious = Files.createDirectories(temp.resolve("home"));
        Files.writeString(precious.resolve("thesis.txt"), "years of work");

        assertThat(run("--wipe", "--data-dir", precious.toString(), "--no-demo", "--exit-after-demo")).isEqualTo(1);

        assertThat(errors()).contains("--wipe refuses to delete " + precious).contains(DataDirectory.MARKER);
        assertThat(precious.resolve("thesis.txt")).exists();
    }

    @Test
    void help_listsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--products=N", "--mode=MODE", "--failure-rate=R", "--no-demo", "--wipe",
                "--data-dir=DIR", "--api-port=PORT", "--app-port=PORT", "--dynamodb-port=PORT", "--sqs-port=PORT", "--s3-port=PORT",
                "--exit-after-demo");
    }
}
