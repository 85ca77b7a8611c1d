package dev.syncline.adapters.http;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Optional;

/**
 * Installs {@link GuardedResolver} as the JVM's resolver (<a href="https://openjdk.org/jeps/418">JEP 418</a>): the JDK's
 * HTTP client has no resolver of its own to replace, so the check of the addresses it connects to sits under it.
 *
 * <p>The JVM finds this class through {@code META-INF/services/java.net.spi.InetAddressResolverProvider} with the
 * thread's context class loader, once, at its first host name lookup; in Lambda that loader is the function's, set
 * before the handler is loaded. {@link AppUrlGuard} makes sure it is in place before it guards anything.
 */
public final class GuardedResolverProvider extends InetAddressResolverProvider {

    private static volatile GuardedResolver installed;

    @Override
    public InetAddressResolver get(Configuration configuration) {
        GuardedResolver resolver = new GuardedResolver(configuration.builtinResolver(), GuardedHosts.JVM);
        installed = resolver;
        return resolver;
    }

    @Override
    public String name() {
        return "Syncline guarded resolver";
    }

    /** The resolver the JVM uses, when it is this one. */
    static Optional<GuardedResolver> installed() {
        return Optional.ofNullable(installed);
    }
}
