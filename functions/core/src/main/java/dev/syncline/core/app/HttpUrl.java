package dev.syncline.core.app;

import dev.syncline.core.SynclineException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An absolute {@code http} or {@code https} base URL: an App's {@code url}, a PIM's {@code
 * api_url}. Protocol paths are appended to it ({@link #resolve}), so it carries no query or
 * fragment; it carries no credentials either, since it is stored, shown and sent in tokens.
 *
 * @param uri the URL as given
 */
public record HttpUrl(URI uri) {

    /** Longer texts are refused: a base URL is a key-sized value, not a document. */
    public static final int MAX_LENGTH = 2048;

    public HttpUrl {
        Objects.requireNonNull(uri, "uri");
        problemWith(uri.toString())
                .ifPresent(
                        problem -> {
                            throw new IllegalArgumentException("URL " + problem);
                        });
    }

    /**
     * Reads a URL.
     *
     * @throws IllegalArgumentException saying what is wrong when {@code text} is not acceptable
     */
    public static HttpUrl parse(String text) {
        problemWith(text)
                .ifPresent(
                        problem -> {
                            throw new IllegalArgumentException("URL " + problem);
                        });
        return new HttpUrl(URI.create(text));
    }

    /**
     * Says what is wrong with {@code text} as a base URL, phrased to follow a field name ("must use
     * http or https, got …"), or returns empty when it is acceptable.
     */
    public static Optional<String> problemWith(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(
                    "is required: an absolute http(s) URL such as https://app.example.com");
        }
        if (text.length() > MAX_LENGTH) {
            return Optional.of(
                    "must be at most %d characters, got %d".formatted(MAX_LENGTH, text.length()));
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.of(
                    "must be a valid URL (%s), got %s"
                            .formatted(e.getReason(), SynclineException.quote(text)));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of(
                    "must be an absolute URL starting with http:// or https://, got "
                            + SynclineException.quote(text));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host, got " + SynclineException.quote(text));
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of(
                    "must not contain credentials (user:password@): they would be stored and"
                        + " shown");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of(
                    "must not have a query or fragment: it is a base URL that paths are appended"
                        + " to, got "
                            + SynclineException.quote(text));
        }
        return Optional.empty();
    }

    /**
     * The URL of a path below this one, e.g. {@code resolve("consume/app_installed")} on {@code
     * https://app.example.com/v2/} or {@code https://app.example.com/v2} gives {@code
     * https://app.example.com/v2/consume/app_installed}: the protocol's paths are relative to the
     * base URL whether or not it ends with a slash (URI's own resolve would drop {@code v2}).
     */
    public URI resolve(String path) {
        String base = uri.toString();
        String separator = base.endsWith("/") ? "" : "/";
        String relative = path.startsWith("/") ? path.substring(1) : path;
        return URI.create(base + separator + relative);
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
