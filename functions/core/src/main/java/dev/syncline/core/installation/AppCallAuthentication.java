package dev.syncline.core.installation;

import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.Manifest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.UUID;

/**
 * Tells the PIM whether a call an App made to it ({@code api_url}) comes from an installed App: only Syncline and
 * the App hold the installation's shared secret, so only Syncline can check the token the App signed with it.
 *
 * <p>In this order: the token names an installation; that installation exists; the token verifies with its
 * secret (HS256, within its times); the installation is active. Nothing about an installation's state is told
 * before its token verified.
 */
public final class AppCallAuthentication {

    /**
     * The clock difference allowed between the App and Syncline when checking {@code exp}, {@code nbf} and
     * {@code iat}: enough for servers kept in time by NTP, far below a token's usual five-minute life.
     */
    public static final Duration LEEWAY = Duration.ofSeconds(30);

    private final AppStore apps;
    private final InstallationStore installations;
    private final SecretVault vault;
    private final AppTokenVerifier tokens;
    private final Clock clock;

    public AppCallAuthentication(AppStore apps, InstallationStore installations, SecretVault vault,
                                 AppTokenVerifier tokens, Clock clock) {
        this.apps = Objects.requireNonNull(apps, "apps");
        this.installations = Objects.requireNonNull(installations, "installations");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies the token an App sent with a call to the PIM.
     *
     * @throws AppTokenRefusedException saying why the call must be refused
     */
    public AuthenticatedAppCall authenticate(String token) {
        return authenticate(token, installation -> true);
    }

    /**
     * Verifies the token as {@link #authenticate(String)} does, for a caller that sees only the installations
     * {@code visible} accepts: a token of any other installation is refused exactly as one naming no installation,
     * before its signature is looked at, so the answer says nothing of installations the caller may not see.
     *
     * @throws AppTokenRefusedException saying why the call must be refused
     */
    public AuthenticatedAppCall authenticate(String token, Predicate<Installation> visible) {
        if (token == null || token.isBlank()) {
            throw new AppTokenRefusedException(AppTokenRefusedException.Reason.MALFORMED,
                    "the token is empty: pass the X-APP-TOKEN the App sent, unchanged");
        }
        UUID claimed = tokens.claimedInstallation(token);
        Installation installation = installations.find(claimed).filter(visible).orElseThrow(() -> new AppTokenRefusedException(
                AppTokenRefusedException.Reason.UNKNOWN_INSTALLATION,
                "the token's app_installation_id " + claimed + " is no installation of this deployment"));
        SharedSecret secret = vault.decrypt(installation.secret(), installation.id());
        Map<String, Object> claims = tokens.verify(token, secret, clock.instant());
        if (installation.status() != InstallationStatus.ACTIVE) {
            throw new AppTokenRefusedException(AppTokenRefusedException.Reason.INSTALLATION_NOT_ACTIVE,
                    "installation " + installation.id() + " is " + installation.status().wireName()
                            + (installation.status() == InstallationStatus.UNINSTALLED
                                    ? " (since " + installation.uninstalledAt() + "): its App may no longer call"
                                    : ": its App may call again once it is reconfigured"));
        }
        Manifest app = apps.findLatest(installation.appId()).orElseThrow(() -> new IllegalStateException(
                "installation " + installation.id() + " belongs to app '" + installation.appId()
                        + "', which has no manifest"));
        return new AuthenticatedAppCall(installation, app, claims);
    }
}
