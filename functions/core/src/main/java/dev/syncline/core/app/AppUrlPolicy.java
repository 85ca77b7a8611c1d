package dev.syncline.core.app;

import dev.syncline.core.SynclineException;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the engine may call an App at a URL. An App's URL comes from whoever registers
 * its manifest, so without this check the engine could be made to call its own network: cloud
 * metadata endpoints, loopback services, private addresses (server-side request forgery). The
 * adapter resolves the host and judges the addresses it resolves to.
 *
 * <p>Registration asks once so that a bad URL is refused with the manifest's other violations, and
 * the App client asks again before every call, since what a name resolves to can change.
 */
@FunctionalInterface
public interface AppUrlPolicy {

    /** Calls any URL: for tests of the domain, which never make a call. */
    AppUrlPolicy ALLOW_ANY = url -> Optional.empty();

    /**
     * Why the engine must not call {@code url}, phrased to follow the field name ("must not point
     * at a loopback address: 127.0.0.1"), or empty when it may.
     */
    Optional<String> refusal(HttpUrl url);

    /**
     * Reads a URL the PIM gives the engine to call (a snapshot source, a webhook): a base URL, {@code https} when
     * {@code httpsOnly}, and one this policy lets the engine call.
     *
     * @param field the request's name for it, which starts each violation ({@code webhook.url})
     * @return the URL, or null after adding to {@code violations} what is wrong with it
     */
    default HttpUrl check(String field, String text, boolean httpsOnly, List<SynclineException.Violation> violations) {
        Optional<String> problem = HttpUrl.problemWith(text);
        if (problem.isPresent()) {
            violations.add(new SynclineException.Violation(field, field + " " + problem.get()));
            return null;
        }
        HttpUrl url = HttpUrl.parse(text);
        if (httpsOnly && !"https".equals(url.uri().getScheme())) {
            violations.add(new SynclineException.Violation(field, field + " must use https; got " + SynclineException.quote(text)));
            return null;
        }
        Optional<String> refusal = refusal(url);
        if (refusal.isPresent()) {
            violations.add(new SynclineException.Violation(field, field + " " + refusal.get()));
            return null;
        }
        return url;
    }
}
