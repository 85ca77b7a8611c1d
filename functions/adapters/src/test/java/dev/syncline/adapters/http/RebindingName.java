package dev.syncline.adapters.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * DNS rebinding, staged in the JVM's own resolver: a fresh host name that answered a public address when the guard
 * checked it ({@link #asTheGuardSawIt}) and answers {@code 127.0.0.1} when the HTTP client looks it up to connect.
 * Every other name resolves as before. Close it to take the name away again.
 */
final class RebindingName implements AutoCloseable {

    static final String FIRST_ANSWER = "203.0.113.10";

    private final String host = "rebind-" + UUID.randomUUID() + ".example";
    private final GuardedResolver jvm;
    private final InetAddressResolver previous;

    RebindingName() {
        // A guard that refuses internal addresses makes sure the JVM's resolver is the guarded one.
        AppUrlGuard.create(false);
        jvm = GuardedResolverProvider.installed().orElseThrow(() -> new AssertionError(
                "the JVM's resolver is not " + GuardedResolverProvider.class.getName()));
        InetAddressResolver before = jvm.delegateTo(new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String name, LookupPolicy lookupPolicy) throws UnknownHostException {
                return name.equals(host) ? Stream.of(InetAddress.getLoopbackAddress()) : previous().lookupByName(name, lookupPolicy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return previous().lookupByAddress(address);
            }
        });
        previous = before;
    }

    String host() {
        return host;
    }

    /** What the guard's lookup answered: a public address. */
    AppUrlGuard.Resolver asTheGuardSawIt() {
        return name -> name.equals(host) ? List.of(InetAddress.getByName(FIRST_ANSWER)) : AppUrlGuard.Resolver.SYSTEM.resolve(name);
    }

    private InetAddressResolver previous() {
        return previous;
    }

    @Override
    public void close() {
        jvm.delegateTo(previous);
    }
}
