package dev.syncline.core.app;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version, <a href="https://semver.org/spec/v2.0.0.html">semver.org 2.0.0</a>: {@code
 * MAJOR.MINOR.PATCH}, an optional {@code -pre.release} and an optional {@code +build}.
 *
 * <p>{@link #compareTo} is the spec's precedence: numbers compare numerically, a pre-release comes
 * before its release, pre-release identifiers compare one by one (numeric ones numerically and
 * below alphanumeric ones, alphanumeric ones in ASCII order, a longer list wins when all before are
 * equal), and build metadata is ignored. So {@code compareTo} is inconsistent with {@code equals}
 * for versions that differ only in build metadata: {@code 1.0.0+a} and {@code 1.0.0+b} have the
 * same precedence but are different versions.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 * @param preRelease the dot-separated pre-release identifiers, empty for a release
 * @param build the dot-separated build metadata identifiers, empty when there is none
 */
public record Semver(
        long major, long minor, long patch, List<String> preRelease, List<String> build)
        implements Comparable<Semver> {

    /** Longer texts are refused: a version is a key in storage, not a document. */
    public static final int MAX_LENGTH = 128;

    private static final String NUMBER = "0|[1-9][0-9]*";
    private static final String PRE_RELEASE_IDENTIFIER =
            "0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*";
    private static final String BUILD_IDENTIFIER = "[0-9a-zA-Z-]+";

    // The grammar of semver.org's BNF, spelled with ASCII classes: Java's \d would do too, but
    // only as long as nobody turns on UNICODE_CHARACTER_CLASS.
    private static final Pattern SEMVER =
            Pattern.compile(
                    "(%1$s)\\.(%1$s)\\.(%1$s)(?:-((?:%2$s)(?:\\.(?:%2$s))*))?(?:\\+(%3$s(?:\\.%3$s)*))?"
                            .formatted(NUMBER, PRE_RELEASE_IDENTIFIER, BUILD_IDENTIFIER));
    private static final Pattern PRE_RELEASE_ONE = Pattern.compile(PRE_RELEASE_IDENTIFIER);
    private static final Pattern BUILD_ONE = Pattern.compile(BUILD_IDENTIFIER);
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    public Semver {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException(
                    "version numbers must not be negative, got %d.%d.%d"
                            .formatted(major, minor, patch));
        }
        preRelease = List.copyOf(preRelease);
        build = List.copyOf(build);
        for (String identifier : preRelease) {
            if (!PRE_RELEASE_ONE.matcher(identifier).matches()) {
                throw new IllegalArgumentException(
                        ("pre-release identifier '%s' must be digits without leading zeros,"
                                        + " or ASCII letters, digits and dashes")
                                .formatted(identifier));
            }
        }
        for (String identifier : build) {
            if (!BUILD_ONE.matcher(identifier).matches()) {
                throw new IllegalArgumentException(
                        "build identifier '%s' must be ASCII letters, digits and dashes"
                                .formatted(identifier));
            }
        }
    }

    /** A release version without pre-release or build metadata. */
    public static Semver of(long major, long minor, long patch) {
        return new Semver(major, minor, patch, List.of(), List.of());
    }

    /**
     * Reads a version.
     *
     * @throws IllegalArgumentException when {@code text} is not a semantic version
     */
    public static Semver parse(String text) {
        return tryParse(text)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        ("not a semantic version"
                                                        + " MAJOR.MINOR.PATCH[-pre-release][+build]:"
                                                        + " '%s'")
                                                .formatted(text)));
    }

    /** Reads a version, or returns empty when {@code text} is not a semantic version. */
    public static Optional<Semver> tryParse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher matcher = SEMVER.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new Semver(
                            Long.parseLong(matcher.group(1)),
                            Long.parseLong(matcher.group(2)),
                            Long.parseLong(matcher.group(3)),
                            identifiers(matcher.group(4)),
                            identifiers(matcher.group(5))));
        } catch (NumberFormatException tooLarge) {
            // Only a number past Long.MAX_VALUE gets through the pattern and fails here.
            return Optional.empty();
        }
    }

    private static List<String> identifiers(String dotted) {
        return dotted == null ? List.of() : List.of(dotted.split("\\."));
    }

    /** Whether this is a pre-release (below the release with the same numbers). */
    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** Whether this version has a higher precedence than {@code other}. */
    public boolean isAbove(Semver other) {
        return compareTo(other) > 0;
    }

    /** Whether this version has a lower precedence than {@code other}. */
    public boolean isBelow(Semver other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Semver other) {
        if (major != other.major) {
            return Long.compare(major, other.major);
        }
        if (minor != other.minor) {
            return Long.compare(minor, other.minor);
        }
        if (patch != other.patch) {
            return Long.compare(patch, other.patch);
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            // A release outranks any of its pre-releases.
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        int shared = Math.min(preRelease.size(), other.preRelease.size());
        for (int i = 0; i < shared; i++) {
            int identifiers = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (identifiers != 0) {
                return identifiers;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int compareIdentifiers(String left, String right) {
        boolean leftNumeric = NUMERIC.matcher(left).matches();
        boolean rightNumeric = NUMERIC.matcher(right).matches();
        if (leftNumeric && rightNumeric) {
            // No leading zeros and no size limit: the longer number is the larger one.
            return left.length() != right.length()
                    ? Integer.compare(left.length(), right.length())
                    : left.compareTo(right);
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        // Identifiers are ASCII, so String order is ASCII order.
        return left.compareTo(right);
    }

    /** The canonical text, as it parses back. */
    @Override
    public String toString() {
        StringBuilder text =
                new StringBuilder()
                        .append(major)
                        .append('.')
                        .append(minor)
                        .append('.')
                        .append(patch);
        if (!preRelease.isEmpty()) {
            text.append('-').append(String.join(".", preRelease));
        }
        if (!build.isEmpty()) {
            text.append('+').append(String.join(".", build));
        }
        return text.toString();
    }
}
