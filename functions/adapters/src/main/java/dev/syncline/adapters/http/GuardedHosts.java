package dev.syncline.adapters.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The host names whose lookups {@link GuardedResolver} keeps to public addresses: the names of App, webhook,
 * snapshot source and file download URLs that {@link AppUrlGuard} let through, and, per name, why its latest lookup
 * was refused, so that a call that failed to connect can say so.
 *
 * <p>Only names the guard found public are held: a name the engine itself uses (an AWS endpoint, which may resolve to
 * a private VPC endpoint address) is never refused by the guard, so never held, and its lookups pass untouched.
 *
 * <p>Bounded: past {@link #CAPACITY} names the least recently guarded goes. The guard registers a name again before
 * every call, so only a name unused while thousands of others were called is ever forgotten.
 */
final class GuardedHosts {

    static final int CAPACITY = 4096;

    /** The names the JVM's resolver guards: what {@link GuardedResolverProvider} installs. */
    static final GuardedHosts JVM = new GuardedHosts(CAPACITY);

    /** A held name and why its latest lookup was refused, or {@code null} when it was not. */
    private final Map<String, String> refusals;

    GuardedHosts(int capacity) {
        this.refusals = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Keeps the lookups of {@code host} to public addresses from now on. */
    synchronized void guard(String host) {
        String key = key(host);
        refusals.put(key, refusals.get(key));
    }

    synchronized boolean guards(String host) {
        return refusals.containsKey(key(host));
    }

    /** Records that the latest lookup of a held {@code host} found only refused addresses, and why. */
    synchronized void refused(String host, String reason) {
        refusals.replace(key(host), reason);
    }

    /** Records that the latest lookup of a held {@code host} was not refused (it answered, or failed on its own). */
    synchronized void cleared(String host) {
        refusals.replace(key(host), null);
    }

    /** Why the latest lookup of {@code host} was refused, when it is held and was. */
    synchronized Optional<String> refusal(String host) {
        return Optional.ofNullable(refusals.get(key(host)));
    }

    // DNS names are case-insensitive, and a trailing dot names the same host.
    private static String key(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
