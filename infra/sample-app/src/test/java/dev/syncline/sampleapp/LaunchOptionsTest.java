package dev.syncline.sampleapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void parse_withoutArgumentsOrEnvironment_listensOnLoopbackPort8081() {
        assertThat(LaunchOptions.parse(new String[0], Map.of())).isEqualTo(new LaunchOptions("127.0.0.1", 8081));
    }

    @Test
    void parse_readsTheEnvironment_andArgumentsWin() {
        Map<String, String> environment = Map.of("SAMPLE_APP_PORT", "9000", "SAMPLE_APP_HOST", "0.0.0.0");

        assertThat(LaunchOptions.parse(new String[0], environment)).isEqualTo(new LaunchOptions("0.0.0.0", 9000));
        assertThat(LaunchOptions.parse(new String[] {"--port", "8082"}, environment))
                .isEqualTo(new LaunchOptions("0.0.0.0", 8082));
        assertThat(LaunchOptions.parse(new String[] {"--port=0", "--host=localhost"}, environment))
                .isEqualTo(new LaunchOptions("localhost", 0));
    }

    @Test
    void parse_withAPortThatIsNotANumber_namesWhereItCameFrom() {
        assertThatThrownBy(() -> LaunchOptions.parse(new String[0], Map.of("SAMPLE_APP_PORT", "http")))
                .hasMessageContaining("SAMPLE_APP_PORT");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--port", "x"}, Map.of()))
                .hasMessageContaining("--port");
    }

    @Test
    void parse_withAnUnknownArgumentOrMissingValue_isRefused() {
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--verbose", "1"}, Map.of()))
                .hasMessageContaining("--verbose");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--port"}, Map.of()))
                .hasMessageContaining("needs a value");
    }
}
