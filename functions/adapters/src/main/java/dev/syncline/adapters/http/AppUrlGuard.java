package dev.syncline.adapters.http;

import dev.syncline.adapters.config.Config;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Refuses App URLs that resolve to addresses inside the engine's own network: loopback, link-local, cloud
 * metadata, private, unspecified and multicast addresses (server-side request forgery). What the host name
 * resolves to is what is judged, every address of it, so neither an IP literal nor a name pointing at an
 * internal address gets through.
 *
 * <p>Outside that network a URL must be {@code https}: the handshake sends the shared secret in its body.
 *
 * <p>A deployment whose Apps run next to it (the local stack, tests) allows internal addresses and plain http; the cloud
 * metadata addresses stay refused even then, since no App lives there and they hand out credentials.
 *
 * <p>A host that does not resolve is refused where internal addresses are: nothing can be judged, and a name
 * that starts resolving later could point anywhere.
 *
 * <p>Judging a name before a call is not enough: the HTTP client looks the name up again when it connects, and a name
 * can answer a public address first and an internal one next (DNS rebinding). So a name this guard lets through, where
 * internal addresses are refused, is {@linkplain GuardedHosts guarded}: the JVM's resolver ({@link GuardedResolver})
 * drops internal addresses from its later lookups, and fails them when none remains. {@link #refusalAtConnect} tells
 * the caller why its connection failed.
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
        RESERVED("a reserved address"),
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
    private final GuardedHosts guarded;

    private AppUrlGuard(boolean allowInternal, Resolver resolver, GuardedHosts guarded) {
        this.allowInternal = allowInternal;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.guarded = Objects.requireNonNull(guarded, "guarded");
    }

    /**
     * @param allowInternal whether Apps may live at internal addresses (the local stack, tests)
     * @throws IllegalStateException where internal addresses are refused but the JVM's resolver is not
     *         {@link GuardedResolverProvider}'s, so that the addresses connected to could not be checked
     */
    public static AppUrlGuard create(boolean allowInternal) {
        return create(allowInternal, Resolver.SYSTEM);
    }

    /** A guard that resolves with {@code resolver}, for tests that decide what a name resolves to. */
    public static AppUrlGuard create(boolean allowInternal, Resolver resolver) {
        if (!allowInternal) {
            requireGuardedResolver();
        }
        return new AppUrlGuard(allowInternal, resolver, GuardedHosts.JVM);
    }

    /** A guard that registers the names it lets through in {@code guarded} rather than the JVM's. */
    static AppUrlGuard create(boolean allowInternal, Resolver resolver, GuardedHosts guarded) {
        return new AppUrlGuard(allowInternal, resolver, guarded);
    }

    /**
     * Why a call to {@code uri} could not connect, when it is because the JVM's resolver refused what the host name
     * resolved to at connect time: "must not point at a loopback address: ...", as {@link #refusal} says it.
     */
    public static Optional<String> refusalAtConnect(Throwable failure, URI uri) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // The HTTP client reports a failed lookup as an unresolved address, without the lookup's exception.
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return uri.getHost() == null ? Optional.empty() : GuardedHosts.JVM.refusal(uri.getHost());
            }
        }
        return Optional.empty();
    }

    /**
     * The JVM picks its resolver at its first host name lookup: one is made here, so that the resolver is in place
     * before any name is guarded, and a package that lost its service file fails at start rather than calling
     * whatever a name rebinds to.
     */
    private static void requireGuardedResolver() {
        if (GuardedResolverProvider.installed().isPresent()) {
            return;
        }
        try {
            InetAddress.getAllByName("localhost");
        } catch (UnknownHostException e) {
            // The lookup loads the resolver whatever it answers.
        }
        if (GuardedResolverProvider.installed().isEmpty()) {
            throw new IllegalStateException("The JVM's host name resolver is not " + GuardedResolverProvider.class.getName()
                    + ", so the addresses Apps are called at cannot be checked: package"
                    + " META-INF/services/java.net.spi.InetAddressResolverProvider with the function, or set "
                    + Config.ALLOW_PRIVATE_APP_URLS + "=true where Apps may live at internal addresses.");
        }
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
            if (allowInternal) {
                return Optional.empty();
            }
            // A guarded name whose lookup the JVM's resolver refused: it resolves to internal addresses only now.
            return guarded.refusal(bare).or(() -> Optional.of(
                    "must resolve to a public address: " + bare + " does not resolve; check the host name"));
        }
        Optional<String> refusal = judge(bare, addresses, allowInternal);
        if (refusal.isPresent()) {
            return refusal;
        }
        if (!allowInternal && "http".equalsIgnoreCase(url.uri().getScheme())) {
            // The handshake sends the installation's shared secret in its body, and every call a token.
            return Optional.of("must use https: plain http would send the installation's shared secret and tokens"
                    + " across the network in clear text");
        }
        if (!allowInternal && !isLiteral(bare)) {
            guarded.guard(bare);
        }
        return Optional.empty();
    }

    /**
     * Why a URL whose host {@code host} resolves to {@code addresses}, of which some are internal, is refused where
     * internal addresses are.
     */
    static String pointsAt(String host, List<InetAddress> addresses) {
        return judge(host, addresses, false).orElseThrow(() -> new IllegalArgumentException(
                "no internal address among " + addresses));
    }

    private static Optional<String> judge(String host, List<InetAddress> addresses, boolean allowInternal) {
        List<String> refused = new ArrayList<>();
        AddressClass first = null;
        for (InetAddress address : addresses) {
            Optional<AddressClass> forbidden = classify(address).filter(found -> refuses(found, allowInternal));
            if (forbidden.isPresent()) {
                first = first == null ? forbidden.get() : first;
                refused.add(address.getHostAddress());
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        String where = isLiteral(host) ? host : host + " resolves to " + String.join(", ", refused);
        String remedy = first == AddressClass.CLOUD_METADATA
                ? "the engine never calls it"
                : "Apps must be reachable at a public address";
        return Optional.of("must not point at %s: %s; %s".formatted(first.phrase, where, remedy));
    }

    private static boolean refuses(AddressClass addressClass, boolean allowInternal) {
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
        if (address instanceof Inet6Address v6 && embedsIpv4(v6.getAddress(), NAT64)) {
            // 64:ff9b::10.0.0.1 reaches 10.0.0.1 through a NAT64 gateway.
            byte[] bytes = v6.getAddress();
            return classify(literal(bytes[12], bytes[13], bytes[14], bytes[15]));
        }
        if (address instanceof Inet6Address v6 && embedsIpv4(v6.getAddress(), SIX_TO_FOUR)) {
            // 2002:0a00:0001:: reaches 10.0.0.1 through a 6to4 relay.
            byte[] bytes = v6.getAddress();
            return classify(literal(bytes[2], bytes[3], bytes[4], bytes[5]));
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
        if (address.isSiteLocalAddress() || isUniqueLocal(address) || inIpv4Range(address, 100, 64, 10)) {
            // 100.64.0.0/10 is carrier-grade NAT space: inside a provider's network, as private as 10/8.
            return Optional.of(AddressClass.PRIVATE);
        }
        if (inIpv4Range(address, 198, 18, 15) || inIpv4Range(address, 192, 0, 24) && address.getAddress()[2] == 0) {
            // 198.18.0.0/15 (network benchmarking) and 192.0.0.0/24 (IETF protocol assignments) are no App's home.
            return Optional.of(AddressClass.RESERVED);
        }
        if (address.isMulticastAddress()) {
            return Optional.of(AddressClass.MULTICAST);
        }
        return Optional.empty();
    }

    private static final byte[] NAT64 = {0x00, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] SIX_TO_FOUR = {0x20, 0x02};

    /** Whether an IPv6 address starts with {@code prefix}: NAT64's 64:ff9b::/96 or 6to4's 2002::/16. */
    private static boolean embedsIpv4(byte[] address, byte[] prefix) {
        return Arrays.equals(address, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Whether an IPv4 address is in {@code first.second.0.0/bits} (bits between 8 and 16). */
    private static boolean inIpv4Range(InetAddress address, int first, int second, int bits) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        byte[] bytes = address.getAddress();
        int mask = 0xff << (16 - bits) & 0xff;
        return (bytes[0] & 0xff) == first && ((bytes[1] & 0xff) & mask) == second;
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
