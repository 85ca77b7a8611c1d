package dev.syncline.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppCallOutcomeTest {

    @Test
    void appResponse_whenBodyLong_keepsABoundedExcerptMarkedAsCut() {
        AppResponse response = new AppResponse(500, "x".repeat(10_000));

        assertThat(response.bodyExcerpt()).hasSize(AppCallOutcome.EXCERPT_LIMIT).endsWith("x…");
    }

    @Test
    void excerpt_neverCutsACharacterInHalf() {
        String excerpt = AppCallOutcome.excerpt("🛒".repeat(AppCallOutcome.EXCERPT_LIMIT + 1));

        assertThat(excerpt.codePoints().filter(c -> c == "🛒".codePointAt(0)).count())
                .isEqualTo(AppCallOutcome.EXCERPT_LIMIT - 1);
        assertThat(excerpt).endsWith("🛒…");
    }

    @Test
    void succeeded_onlyFor2xxAnswers() {
        assertThat(new AppResponse(204, null).succeeded()).isTrue();
        assertThat(new AppResponse(302, "").succeeded()).isFalse();
        assertThat(new AppResponse(401, "").succeeded()).isFalse();
        assertThat(new AppUnreachable(AppUnreachable.Reason.TIMEOUT, "10 s").succeeded()).isFalse();
    }

    @Test
    void describe_saysWhatTheAppAnsweredOrWhyItDidNot() {
        assertThat(new AppResponse(401, "invalid token").describe())
                .isEqualTo("answered 401: 'invalid token'");
        assertThat(new AppResponse(503, "").describe())
                .isEqualTo("answered 503 with an empty body");
        assertThat(
                        new AppUnreachable(AppUnreachable.Reason.TIMEOUT, "no answer within 10 s")
                                .describe())
                .isEqualTo("timed out: no answer within 10 s");
    }
}
