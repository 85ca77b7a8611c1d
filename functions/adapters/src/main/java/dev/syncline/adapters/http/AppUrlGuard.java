package dev.syncline.adapters.http;

import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Refuses App URLs that resolve to addresses inside the engine's own network: loopback, link-local, cloud
 * metadata, private, unspecified and multicast addresses (server-side request forgery). What the host name
 * resolves to is what is judged, every address of it, so neither an IP literal nor a name pointing at an
 * internal address gets through.
 *
 * <p>A deployment whose Apps run next to it (the local stack, tests) allows internal addresses; the cloud
 * metadata addresses stay refused even then, since no App lives there and they hand out credentials.
 *
 * <p>A host that does not resolve is not refused here: there is nothing to judge yet, and the call itself
 * will fail. The JVM caches a lookup (30 s by default), so the call that follows this check normally
 * connects to the addresses just judged; a name re-pointed within that window is the remaining gap.
 */
public final class AppUrlGuard implements AppUrlPolicy {

    /** Resolves a host name (or an IP literal) to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        /** The JVM's resolver, as the HTTP client uses it. */
        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    /** Classes of address an App must not be called at, in the order they are checked. */
    enum AddressClass {
        CLOUD_METADATA("a cloud metadata address"),
        UNSPECIFIED("an unspecified address"),
        LOOPBACK("a loopback address"),
        LINK_LOCAL("a link-local address"),
        PRIVATE("a private address"),
        MULTICAST("a multicast address");

        private final String phrase;

        AddressClass(String phrase) {
            this.phrase = phrase;
        }
    }

    private static final List<InetAddress> METADATA = List.of(
            literal("169.254.169.254"), // AWS, GCP, Azure, and most others
            literal("fd00:ec2::254")); // AWS over IPv6

    private final boolean allowInternal;
    private final Resolver resolver;

    private AppUrlGuard(boolean allowInternal, Resolver resolver) {
        this.allowInternal = allowInternal;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * @param allowInternal whether Apps may live at internal addresses (the local stack, tests)
     */
    public static AppUrlGuard create(boolean allowInternal) {
        return new AppUrlGuard(allowInternal, Resolver.SYSTEM);
    }

    /** A guard that resolves with {@code resolver}, for tests that decide what a name resolves to. */
    public static AppUrlGuard create(boolean allowInternal, Resolver resolver) {
        return new AppUrlGuard(allowInternal, resolver);
    }

    @Override
    public Optional<String> refusal(HttpUrl url) {
        String host = url.uri().getHost();
        // URI keeps the brackets of an IPv6 literal; the resolver wants the address alone.
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        List<String> refused = new ArrayList<>();
        AddressClass first = null;
        for (InetAddress address : addresses) {
            Optional<AddressClass> forbidden = classify(address).filter(this::refuses);
            if (forbidden.isPresent()) {
                first = first == null ? forbidden.get() : first;
                refused.add(address.getHostAddress());
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        String where = isLiteral(bare) ? bare : bare + " resolves to " + String.join(", ", refused);
        String remedy = first == AddressClass.CLOUD_METADATA
                ? "the engine never calls it"
                : "Apps must be reachable at a public address";
        return Optional.of("must not point at %s: %s; %s".formatted(first.phrase, where, remedy));
    }

    private boolean refuses(AddressClass addressClass) {
        return addressClass == AddressClass.CLOUD_METADATA || !allowInternal;
    }

    /** The class of {@code address} an App must not live at, or empty for a public address. */
    static Optional<AddressClass> classify(InetAddress address) {
        if (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress() && !v6.isLoopbackAddress()
                && !v6.isAnyLocalAddress()) {
            // ::10.0.0.1 reaches 10.0.0.1 on stacks that still route IPv4-compatible addresses.
            byte[] bytes = v6.getAddress();
            return classify(literal(bytes[12], bytes[13], bytes[14], bytes[15]));
        }
        if (METADATA.contains(address)) {
            return Optional.of(AddressClass.CLOUD_METADATA);
        }
        if (address.isAnyLocalAddress() || address instanceof Inet4Address && address.getAddress()[0] == 0) {
            // 0.0.0.0/8 is "this network": connecting to it reaches the local host.
            return Optional.of(AddressClass.UNSPECIFIED);
        }
        if (address.isLoopbackAddress()) {
            return Optional.of(AddressClass.LOOPBACK);
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of(AddressClass.LINK_LOCAL);
        }
        if (address.isSiteLocalAddress() || isUniqueLocal(address)) {
            return Optional.of(AddressClass.PRIVATE);
        }
        if (address.isMulticastAddress()) {
            return Optional.of(AddressClass.MULTICAST);
        }
        return Optional.empty();
    }

    // fc00::/7, IPv6's private range; InetAddress knows only the deprecated site-local fec0::/10.
    private static boolean isUniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    // An IP literal is its own address: "127.0.0.1", not "127.0.0.1 resolves to 127.0.0.1".
    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + text, e);
        }
    }

    private static InetAddress literal(byte... bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address", e);
        }
    }
}
