package dev.syncline.core.installation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeletionGuardTest {

    @Test
    void byDefault_holdsARunDeletingMoreThanAFifth_andMoreThanTen() {
        DeletionGuard guard = DeletionGuard.DEFAULT;

        assertThat(guard.holds(47, 61)).isTrue();
        assertThat(guard.holds(20, 100)).as("exactly 20 % is allowed").isFalse();
        assertThat(guard.holds(21, 100)).isTrue();
        assertThat(guard.holds(10, 10)).as("ten deletions never wait, even of a whole small catalog").isFalse();
        assertThat(guard.holds(11, 11)).isTrue();
        assertThat(guard.holds(0, 0)).isFalse();
    }

    @Test
    void aHundredPercent_turnsTheGuardOff() {
        assertThat(new DeletionGuard(100, 0, Duration.ofHours(1)).holds(1_000, 1_000)).isFalse();
    }

    @Test
    void settingsOutOfBounds_sayWhatIsAllowed() {
        assertThatThrownBy(() -> new DeletionGuard(101, 10, Duration.ofHours(24)))
                .hasMessage("deletion_guard.threshold_percent must be 0–100 (100 turns the guard off), got 101");
        assertThatThrownBy(() -> new DeletionGuard(20, 10, Duration.ofHours(200)))
                .hasMessage("deletion_guard.confirmation_timeout_hours must be 1–168, got 200");
    }
}
