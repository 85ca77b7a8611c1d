package dev.syncline.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

class HttpUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/v2", "https://app.example.com/v2/"})
    void resolve_keepsTheBasePathWithOrWithoutTrailingSlash(String base) {
        HttpUrl url = HttpUrl.parse(base);

        assertThat(url.resolve("consume/app_installed"))
                .isEqualTo(URI.create("https://app.example.com/v2/consume/app_installed"));
        assertThat(url.resolve("/handshake"))
                .isEqualTo(URI.create("https://app.example.com/v2/handshake"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "HTTPS://App.Example.com"})
    void parse_whenHttpOrHttpsWithHost_accepts(String text) {
        assertThat(HttpUrl.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailto:app@example.com", "file:///etc/passwd", "//app.example.com"})
    void parse_whenNotHttp_rejectsNamingTheAcceptedSchemes(String text) {
        assertThatThrownBy(() -> HttpUrl.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http:// or https://");
    }
}
