package dev.syncline.core.installation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

class SharedSecretTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void generate_gives256RandomBitsAs64HexCharacters() {
        SharedSecret secret = SharedSecret.generate(random);

        assertThat(secret.reveal()).matches("[0-9a-f]{64}");
        assertThat(SharedSecret.generate(random)).isNotEqualTo(secret);
    }

    @Test
    void hmacKey_isTheTextTheAppReceived() {
        SharedSecret secret = SharedSecret.generate(random);

        assertThat(new String(secret.hmacKey(), StandardCharsets.US_ASCII))
                .isEqualTo(secret.reveal());
    }

    @Test
    void toString_neverRevealsTheSecret() {
        SharedSecret secret = SharedSecret.generate(random);

        assertThat(secret.toString()).isEqualTo("SharedSecret[redacted]");
        assertThat(String.valueOf(secret)).doesNotContain(secret.reveal());
    }

    @Test
    void of_readsBackWhatWasGenerated() {
        SharedSecret secret = SharedSecret.generate(random);

        assertThat(SharedSecret.of(secret.reveal())).isEqualTo(secret);
    }

    @Test
    void of_whenTextMalformed_rejectsWithoutRepeatingIt() {
        String almost = "A".repeat(64);

        assertThatThrownBy(() -> SharedSecret.of(almost))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a shared secret is 64 lowercase hexadecimal characters (256 bits)");
    }
}
