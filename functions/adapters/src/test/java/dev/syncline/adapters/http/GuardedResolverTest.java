package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.app.HttpUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JVM's resolver as the HTTP client meets it: the guard checks a URL, then the client looks the name up again to
 * connect. Each name answers from a script, as a DNS server under an attacker's control would.
 */
class GuardedResolverTest {

    private static final LookupPolicy ANY = LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6);

    private final ScriptedDns dns = new ScriptedDns();
    private final GuardedHosts hosts = new GuardedHosts(GuardedHosts.CAPACITY);
    private final GuardedResolver resolver = new GuardedResolver(dns, hosts);
    // In a deployment the guard resolves through the JVM's resolver too.
    private final AppUrlGuard.Resolver throughResolver = host -> resolver.lookupByName(host, ANY).toList();
    private final AppUrlGuard strict = AppUrlGuard.create(false, throughResolver, hosts);
    private final AppUrlGuard local = AppUrlGuard.create(true, throughResolver, hosts);

    @Test
    void connectLookup_whenACheckedNameRebindsToLoopback_isRefusedWithTheReason() {
        dns.answers("shop.example.com", "93.184.216.34").then("127.0.0.1");
        assertThat(strict.refusal(HttpUrl.parse("https://shop.example.com/app"))).isEmpty();

        assertThatThrownBy(() -> connectLookup("shop.example.com"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("shop.example.com: the lookup was refused: it must not point at a loopback address:"
                        + " shop.example.com resolves to 127.0.0.1; Apps must be reachable at a public address");
        assertThat(hosts.refusal("shop.example.com")).hasValue("must not point at a loopback address:"
                + " shop.example.com resolves to 127.0.0.1; Apps must be reachable at a public address");
    }

    @Test
    void connectLookup_whenACheckedNameRebindsToTheMetadataEndpoint_isRefused() {
        dns.answers("shop.example.com", "93.184.216.34").then("169.254.169.254", "fd00:ec2::254");
        strict.refusal(HttpUrl.parse("https://shop.example.com/app"));

        assertThatThrownBy(() -> connectLookup("shop.example.com"))
                .hasMessageEndingWith("it must not point at a cloud metadata address: shop.example.com resolves to"
                        + " 169.254.169.254, fd00:ec2:0:0:0:0:0:254; the engine never calls it");
    }

    @Test
    void check_afterTheNameRebound_refusesTheUrlForWhatItResolvesToNow() {
        dns.answers("shop.example.com", "93.184.216.34").then("10.0.0.8");
        HttpUrl url = HttpUrl.parse("https://shop.example.com/app");
        assertThat(strict.refusal(url)).isEmpty();

        assertThat(strict.refusal(url)).hasValue("must not point at a private address: shop.example.com resolves to"
                + " 10.0.0.8; Apps must be reachable at a public address");
    }

    @Test
    void connectLookup_whenACheckedNameAddsInternalAddresses_answersOnlyThePublicOnes() throws UnknownHostException {
        dns.answers("shop.example.com", "93.184.216.34").then("127.0.0.1", "93.184.216.34", "::1", "2606:4700::1111");
        strict.refusal(HttpUrl.parse("https://shop.example.com/app"));

        assertThat(connectLookup("shop.example.com")).containsExactly(ip("93.184.216.34"), ip("2606:4700::1111"));
    }

    @Test
    void connectLookup_ofANameNeverChecked_answersInternalAddresses() throws UnknownHostException {
        // An AWS endpoint in a VPC resolves to the endpoint's private addresses.
        dns.answers("dynamodb.eu-west-1.amazonaws.com", "10.0.3.7", "10.0.4.9");
        dns.answers("shop.example.com", "93.184.216.34");
        strict.refusal(HttpUrl.parse("https://shop.example.com/app"));

        assertThat(connectLookup("dynamodb.eu-west-1.amazonaws.com")).containsExactly(ip("10.0.3.7"), ip("10.0.4.9"));
    }

    @Test
    void check_ofAUrlItRefuses_guardsNothing() throws UnknownHostException {
        // Else a manifest naming an AWS endpoint that resolves to a VPC endpoint would cut the engine off from AWS.
        dns.answers("s3.eu-west-1.amazonaws.com", "10.0.3.7");
        assertThat(strict.refusal(HttpUrl.parse("https://s3.eu-west-1.amazonaws.com/"))).isPresent();

        assertThat(connectLookup("s3.eu-west-1.amazonaws.com")).containsExactly(ip("10.0.3.7"));
    }

    @Test
    void connectLookup_whereInternalAddressesAreAllowed_filtersNothing() throws UnknownHostException {
        dns.answers("app.internal", "93.184.216.34").then("127.0.0.1");
        assertThat(local.refusal(HttpUrl.parse("http://app.internal:8081/"))).isEmpty();

        assertThat(connectLookup("app.internal")).containsExactly(ip("127.0.0.1"));
    }

    @Test
    void connectLookup_spellingTheCheckedNameDifferently_isStillGuarded() {
        dns.answers("shop.example.com", "93.184.216.34").then("127.0.0.1");
        strict.refusal(HttpUrl.parse("https://Shop.Example.COM/app"));

        assertThatThrownBy(() -> connectLookup("shop.example.com.")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("must not point at a loopback address");
    }

    @Test
    void connectLookup_whenACheckedNameStopsResolving_failsAsAnUnknownHostWithoutARefusal() {
        dns.answers("shop.example.com", "93.184.216.34").thenNothing();
        HttpUrl url = HttpUrl.parse("https://shop.example.com/app");
        strict.refusal(url);

        assertThatThrownBy(() -> connectLookup("shop.example.com")).isInstanceOf(UnknownHostException.class)
                .hasMessage("shop.example.com: no such name");
        assertThat(strict.refusal(url)).hasValue("must resolve to a public address: shop.example.com does not resolve;"
                + " check the host name");
    }

    @Test
    void reverseLookups_passThrough() throws UnknownHostException {
        assertThat(resolver.lookupByAddress(new byte[] {127, 0, 0, 1})).isEqualTo("reverse of 127.0.0.1");
    }

    @Test
    void guardedHosts_pastTheirCapacity_forgetTheLeastRecentlyGuardedName() {
        GuardedHosts two = new GuardedHosts(2);
        two.guard("a.example");
        two.guard("b.example");
        two.guard("a.example");
        two.guard("c.example");

        assertThat(List.of(two.guards("a.example"), two.guards("b.example"), two.guards("c.example")))
                .containsExactly(true, false, true);
    }

    private List<InetAddress> connectLookup(String host) throws UnknownHostException {
        return resolver.lookupByName(host, ANY).toList();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Answers each name from its script: one answer per lookup, the last one repeated. */
    private static final class ScriptedDns implements InetAddressResolver {

        private final Map<String, Deque<List<InetAddress>>> scripts = new HashMap<>();

        Script answers(String host, String... addresses) {
            Deque<List<InetAddress>> script = new ArrayDeque<>();
            script.add(Arrays.stream(addresses).map(GuardedResolverTest::ip).toList());
            scripts.put(host, script);
            return new Script(script);
        }

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy) throws UnknownHostException {
            String name = host.toLowerCase().replaceAll("\\.$", "");
            Deque<List<InetAddress>> script = scripts.get(name);
            List<InetAddress> answer = script == null ? List.of()
                    : script.size() > 1 ? script.removeFirst() : script.getFirst();
            if (answer.isEmpty()) {
                throw new UnknownHostException(host + ": no such name");
            }
            return answer.stream();
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            return "reverse of " + InetAddress.getByAddress(address).getHostAddress();
        }

        record Script(Deque<List<InetAddress>> answers) {
            Script then(String... addresses) {
                answers.add(Arrays.stream(addresses).map(GuardedResolverTest::ip).toList());
                return this;
            }

            void thenNothing() {
                answers.add(List.of());
            }
        }
    }
}
