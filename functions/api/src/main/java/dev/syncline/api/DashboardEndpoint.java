package dev.syncline.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator dashboard's static files, served by the api function itself so that it works wherever the API
 * does: {@code GET /} is the page, {@code GET /assets/<version>/<file>} its scripts and styles. Neither needs an
 * API key; the page asks for one and sends it to {@code /v1} only.
 *
 * <p>The files are read once, from the classpath ({@code dashboard/} inside the artifact), and only those named
 * in {@link #ASSETS} exist: a request's path never reaches a resource lookup, so it cannot walk out of the
 * folder. {@code <version>} is a digest of every file, so assets are cached for a year under it, and a page from
 * an earlier deployment that asks for an older version still gets the current file, uncached.
 */
final class DashboardEndpoint {

    /** The page's files below {@code dashboard/assets/}; {@code DashboardEndpointTest} checks none is missing. */
    static final List<String> ASSETS = List.of(
            "app.js", "api.js", "configuration.js", "dom.js", "format.js", "installations.js", "installation.js", "run.js",
            "metrics.js", "signin.js", "style.css");

    private static final String FOLDER = "dashboard/";
    private static final String VERSION_PLACEHOLDER = "{{assets}}";
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8");
    // The page loads nothing from elsewhere and runs no inline script; API calls go to its own origin. Scripts come
    // from its assets folder only: the same origin also serves feeds (/feeds/...), files an App wrote, which must
    // never run as the dashboard's script.
    private static final String POLICY = "default-src 'none'; script-src %s/assets/; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(String body, String contentType, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();
    private final Asset page;
    private final String version;

    private DashboardEndpoint(ClassLoader loader) {
        MessageDigest all = sha256();
        for (String name : ASSETS) {
            String body = read(loader, FOLDER + "assets/" + name);
            all.update(body.getBytes(StandardCharsets.UTF_8));
            assets.put(name, asset(body, name));
        }
        this.version = HexFormat.of().formatHex(all.digest()).substring(0, 12);
        this.page = asset(read(loader, FOLDER + "index.html").replace(VERSION_PLACEHOLDER, "assets/" + version), "index.html");
    }

    /** Reads the files from the api function's own classpath; fails at start when one is missing. */
    static DashboardEndpoint fromClasspath() {
        return new DashboardEndpoint(DashboardEndpoint.class.getClassLoader());
    }

    /** {@code GET /}: the page, revalidated on every load so that a deployment shows at once. */
    ApiResponse page(ApiRequest request, Map<String, String> path) {
        return serve(request, page, "no-cache");
    }

    /** {@code GET /assets/{version}/{file}}. */
    ApiResponse asset(ApiRequest request, Map<String, String> path) {
        Asset asset = assets.get(path.get("file"));
        if (asset == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "The dashboard has no file " + quoted(path.get("file"))
                    + "; its files are " + String.join(", ", ASSETS) + ".");
        }
        boolean current = version.equals(path.get("version"));
        return serve(request, asset, current ? "public, max-age=31536000, immutable" : "no-cache");
    }

    private static ApiResponse serve(ApiRequest request, Asset asset, String cacheControl) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", cacheControl);
        headers.put("ETag", asset.etag());
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        if (request.header("If-None-Match").filter(asset.etag()::equals).isPresent()) {
            return new ApiResponse(304, headers, "");
        }
        headers.put("Content-Type", asset.contentType());
        headers.put("Content-Security-Policy", POLICY.formatted(request.origin()));
        return new ApiResponse(200, headers, asset.body());
    }

    private static Asset asset(String body, String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        if (type == null) {
            throw new IllegalStateException("dashboard file " + name + " has no known content type");
        }
        String etag = "\"" + HexFormat.of().formatHex(sha256().digest(body.getBytes(StandardCharsets.UTF_8))).substring(0, 16) + "\"";
        return new Asset(body, type, etag);
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the api artifact lacks the dashboard file " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(String text) {
        return "'" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "'";
    }
}
