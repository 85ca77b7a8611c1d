package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.app.HttpUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppUrlGuardTest {

    private final AppUrlGuard strict = AppUrlGuard.create(false, AppUrlGuardTest::resolve);
    private final AppUrlGuard local = AppUrlGuard.create(true, AppUrlGuardTest::resolve);

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:8081/app       | a loopback address       | 127.0.0.1",
        "http://127.8.9.10/              | a loopback address       | 127.8.9.10",
        "http://[::1]:8081/              | a loopback address       | ::1",
        "http://169.254.10.20/           | a link-local address     | 169.254.10.20",
        "http://[fe80::1]/               | a link-local address     | fe80::1",
        "http://169.254.169.254/latest   | a cloud metadata address | 169.254.169.254",
        "http://[fd00:ec2::254]/         | a cloud metadata address | fd00:ec2::254",
        "https://10.1.2.3/               | a private address        | 10.1.2.3",
        "https://172.16.0.1/             | a private address        | 172.16.0.1",
        "https://172.31.255.254/         | a private address        | 172.31.255.254",
        "https://192.168.1.10/           | a private address        | 192.168.1.10",
        "https://[fc00::1]/              | a private address        | fc00::1",
        "https://[fdab:1234::7]/         | a private address        | fdab:1234::7",
        "http://0.0.0.0:8081/            | an unspecified address   | 0.0.0.0",
        "http://[::]/                    | an unspecified address   | ::",
        "http://224.0.0.251/             | a multicast address      | 224.0.0.251",
        "http://[ff02::1]/               | a multicast address      | ff02::1",
        "https://100.64.0.1/             | a private address        | 100.64.0.1",
        "https://100.127.255.254/        | a private address        | 100.127.255.254",
        "https://198.18.0.1/             | a reserved address       | 198.18.0.1",
        "https://198.19.255.1/           | a reserved address       | 198.19.255.1",
        "https://192.0.0.8/              | a reserved address       | 192.0.0.8",
        "http://[64:ff9b::a00:1]/        | a private address        | 64:ff9b::a00:1",
        "http://[64:ff9b::7f00:1]/       | a loopback address       | 64:ff9b::7f00:1",
        "http://[2002:a00:1::]/          | a private address        | 2002:a00:1::",
        "http://[2002:a9fe:a9fe::]/      | a cloud metadata address | 2002:a9fe:a9fe::",
    })
    void refusal_whenTheUrlIsAnInternalAddress_namesItsClass(String url, String phrase, String address) {
        assertThat(strict.refusal(HttpUrl.parse(url)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("must not point at " + phrase + ": " + address + ";"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/", "https://172.32.0.1/", "https://[2606:4700::1111]/",
        "https://shop.example.com/app", "https://100.128.0.1/", "https://100.63.255.255/", "https://198.20.0.1/",
        "https://192.0.1.1/", "https://[64:ff9b::5db8:d822]/", "https://[2002:5db8:d822::]/"})
    void refusal_whenPublic_isEmpty(String url) {
        assertThat(strict.refusal(HttpUrl.parse(url))).isEmpty();
    }

    @Test
    void refusal_ofPlainHttpToAPublicAddress_asksForHttps_sinceTheHandshakeCarriesTheSecret() {
        assertThat(strict.refusal(HttpUrl.parse("http://shop.example.com/app")))
                .hasValue("must use https: plain http would send the installation's shared secret and tokens across the"
                        + " network in clear text");
        assertThat(local.refusal(HttpUrl.parse("http://shop.example.com/app"))).isEmpty();
    }

    @Test
    void refusal_judgesWhatANameResolvesTo() {
        assertThat(strict.refusal(HttpUrl.parse("https://sneaky.example.com/app")))
                .hasValue("must not point at a private address: sneaky.example.com resolves to 10.0.0.5;"
                        + " Apps must be reachable at a public address");
    }

    @Test
    void refusal_whenANameResolvesToALoopbackAlias_refusesIt() {
        assertThat(strict.refusal(HttpUrl.parse("http://localhost:8081")))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .startsWith("must not point at a loopback address: localhost resolves to"));
    }

    @Test
    void refusal_whenTheNameDoesNotResolve_refusesIt_sinceNothingCanBeJudged() {
        assertThat(strict.refusal(HttpUrl.parse("https://not-yet-live.example.com")))
                .hasValue("must resolve to a public address: not-yet-live.example.com does not resolve; check the host name");
    }

    @Test
    void refusal_whenTheNameDoesNotResolve_butInternalAddressesAreAllowed_leavesItToTheCall() {
        assertThat(local.refusal(HttpUrl.parse("https://not-yet-live.example.com"))).isEmpty();
    }

    @Test
    void refusal_whenInternalAddressesAreAllowed_acceptsThem() {
        assertThat(local.refusal(HttpUrl.parse("http://127.0.0.1:8081"))).isEmpty();
        assertThat(local.refusal(HttpUrl.parse("http://10.1.2.3"))).isEmpty();
        assertThat(local.refusal(HttpUrl.parse("https://sneaky.example.com"))).isEmpty();
    }

    @Test
    void refusal_ofCloudMetadata_holdsEvenWhereInternalAddressesAreAllowed() {
        assertThat(local.refusal(HttpUrl.parse("http://169.254.169.254/latest/meta-data")))
                .hasValue("must not point at a cloud metadata address: 169.254.169.254; the engine never calls it");
    }

    @Test
    void refusal_ofAnIpv4CompatibleIpv6Address_judgesTheIpv4Address() {
        assertThat(strict.refusal(HttpUrl.parse("http://[::10.0.0.1]/"))).isPresent();
    }

    private static final Map<String, List<String>> DNS = Map.of(
            "shop.example.com", List.of("93.184.216.34"),
            "sneaky.example.com", List.of("93.184.216.34", "10.0.0.5"),
            "localhost", List.of("127.0.0.1", "::1"));

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return List.of(InetAddress.getByName(host));
        }
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> resolved = new ArrayList<>();
        for (String address : addresses) {
            resolved.add(InetAddress.getByName(address));
        }
        return resolved;
    }
}
