package dev.syncline.adapters.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Judges the addresses the HTTP client actually connects to. {@link AppUrlGuard} resolves a host name and judges it
 * before a call, then the JDK's HTTP client resolves the name again when it connects: a name that answered a public
 * address to the first lookup and {@code 127.0.0.1} or {@code 169.254.169.254} to the second (DNS rebinding) would
 * pass. This resolver, installed JVM-wide by {@link GuardedResolverProvider}, drops every internal address from the
 * answer of a lookup of a {@linkplain GuardedHosts guarded} name, and fails the lookup when none remains; the HTTP
 * client then cannot connect, and the caller reports the recorded reason as a refused URL.
 *
 * <p>Any other name (the AWS endpoints, which may resolve to private VPC endpoint addresses) goes to the JVM's own
 * resolver untouched, and so does every reverse lookup. An IP literal is never looked up: the guard's check is all
 * it needs.
 */
final class GuardedResolver implements InetAddressResolver {

    private final GuardedHosts hosts;
    // Replaced by tests only, to decide what a name resolves to when the HTTP client looks it up.
    private volatile InetAddressResolver delegate;

    GuardedResolver(InetAddressResolver delegate, GuardedHosts hosts) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy) throws UnknownHostException {
        if (!hosts.guards(host)) {
            return delegate.lookupByName(host, lookupPolicy);
        }
        List<InetAddress> answer;
        try {
            answer = delegate.lookupByName(host, lookupPolicy).toList();
        } catch (UnknownHostException e) {
            hosts.cleared(host);
            throw e;
        }
        List<InetAddress> allowed = answer.stream().filter(address -> AppUrlGuard.classify(address).isEmpty()).toList();
        if (allowed.isEmpty() && !answer.isEmpty()) {
            String reason = AppUrlGuard.pointsAt(host, answer);
            hosts.refused(host, reason);
            throw new UnknownHostException(host + ": the lookup was refused: it " + reason);
        }
        hosts.cleared(host);
        return allowed.stream();
    }

    @Override
    public String lookupByAddress(byte[] address) throws UnknownHostException {
        return delegate.lookupByAddress(address);
    }

    /** Replaces the resolver asked for the answers; returns the one it replaced. For tests. */
    InetAddressResolver delegateTo(InetAddressResolver replacement) {
        InetAddressResolver previous = delegate;
        delegate = Objects.requireNonNull(replacement, "replacement");
        return previous;
    }
}
