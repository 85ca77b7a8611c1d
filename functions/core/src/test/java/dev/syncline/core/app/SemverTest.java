package dev.syncline.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

class SemverTest {

    @Test
    void parse_whenPreReleaseAndBuild_readsEveryPartAndPrintsTheSameText() {
        Semver version = Semver.parse("2.10.3-rc.1+build.042");

        assertThat(version.major()).isEqualTo(2);
        assertThat(version.minor()).isEqualTo(10);
        assertThat(version.patch()).isEqualTo(3);
        assertThat(version.preRelease()).containsExactly("rc", "1");
        assertThat(version.build()).containsExactly("build", "042");
        assertThat(version.isPreRelease()).isTrue();
        assertThat(version).hasToString("2.10.3-rc.1+build.042");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0",
                "1.0.0-0alpha",
                "1.0.0-x-y-z.--",
                "1.0.0+001",
                "1.0.0-alpha+exp.sha.5114f85",
                "9223372036854775807.0.0"
            })
    void parse_whenValidPerSpec_accepts(String text) {
        assertThat(Semver.tryParse(text)).map(Semver::toString).contains(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1",
                "1.2",
                "1.2.3.4",
                "v1.2.3",
                " 1.2.3",
                "1.2.3 ",
                "01.2.3",
                "1.02.3",
                "1.2.03",
                "-1.2.3",
                "1.2.3-",
                "1.2.3+",
                "1.2.3-01",
                "1.2.3-alpha..1",
                "1.2.3+build..1",
                "1.2.3-alpha_1",
                "1.2.3-é",
                "1.2.٣",
                "9223372036854775808.0.0"
            })
    void tryParse_whenNotSemver_returnsEmpty(String text) {
        assertThat(Semver.tryParse(text)).isEmpty();
    }

    @Test
    void tryParse_whenLongerThanTheLimit_returnsEmpty() {
        assertThat(Semver.tryParse("1.0.0-" + "a".repeat(Semver.MAX_LENGTH))).isEmpty();
    }

    @Test
    void parse_whenNotSemver_throwsNamingTheText() {
        assertThatThrownBy(() -> Semver.parse("1.4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1.4'")
                .hasMessageContaining("MAJOR.MINOR.PATCH");
    }

    @Test
    void compareTo_ordersTheSpecsExampleInPrecedenceOrder() {
        // https://semver.org/#spec-item-11, followed by numeric bumps.
        List<String> expected =
                List.of(
                        "1.0.0-alpha",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha.beta",
                        "1.0.0-beta",
                        "1.0.0-beta.2",
                        "1.0.0-beta.11",
                        "1.0.0-rc.1",
                        "1.0.0",
                        "1.0.1",
                        "1.1.0",
                        "1.9.0",
                        "1.10.0",
                        "2.0.0");
        List<Semver> shuffled = new ArrayList<>(expected.stream().map(Semver::parse).toList());
        Collections.shuffle(shuffled, new Random(7));

        Collections.sort(shuffled);

        assertThat(shuffled).map(Semver::toString).containsExactlyElementsOf(expected);
    }

    @Test
    void compareTo_whenNumericIdentifiersExceedLong_comparesThemAsNumbers() {
        assertThat(Semver.parse("1.0.0-100000000000000000000"))
                .isGreaterThan(Semver.parse("1.0.0-99999999999999999999"));
    }

    @Test
    void compareTo_whenNumericMeetsAlphanumericIdentifier_ranksNumericLower() {
        assertThat(Semver.parse("1.0.0-999")).isLessThan(Semver.parse("1.0.0-a"));
        assertThat(Semver.parse("1.0.0-rc.9")).isLessThan(Semver.parse("1.0.0-rc.x"));
    }

    @Test
    void compareTo_comparesAlphanumericIdentifiersInAsciiOrder() {
        // Uppercase sorts before lowercase in ASCII.
        assertThat(Semver.parse("1.0.0-RC")).isLessThan(Semver.parse("1.0.0-beta"));
    }

    @Test
    void compareTo_ignoresBuildMetadataWhileEqualsDoesNot() {
        Semver first = Semver.parse("1.0.0+build.1");
        Semver second = Semver.parse("1.0.0+build.2");

        assertThat(first).isEqualByComparingTo(second);
        assertThat(first).isNotEqualTo(second);
        assertThat(first.isAbove(second)).isFalse();
        assertThat(second.isAbove(first)).isFalse();
    }

    @Test
    void isAboveAndIsBelow_followPrecedence() {
        Semver release = Semver.of(1, 0, 0);
        Semver candidate = Semver.parse("1.0.0-rc.1");

        assertThat(release.isAbove(candidate)).isTrue();
        assertThat(candidate.isBelow(release)).isTrue();
        assertThat(release.isBelow(release)).isFalse();
    }

    @Test
    void new_whenIdentifierBreaksTheGrammar_rejects() {
        assertThatThrownBy(() -> new Semver(1, 0, 0, List.of("01"), List.of()))
                .hasMessageContaining("'01'");
        assertThatThrownBy(() -> new Semver(-1, 0, 0, List.of(), List.of()))
                .hasMessageContaining("negative");
    }
}
