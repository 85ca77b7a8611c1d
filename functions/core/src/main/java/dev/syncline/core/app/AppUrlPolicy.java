package dev.syncline.core.app;

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
}
