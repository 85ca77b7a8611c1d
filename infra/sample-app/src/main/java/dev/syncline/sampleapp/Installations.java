package dev.syncline.sampleapp;

import com.auth0.jwt.JWTVerifier;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The installations that completed a handshake, by {@code app_installation_id}. Held in memory only. */
final class Installations implements TokenVerifier.Secrets {

    private final ConcurrentHashMap<String, Installation> byId = new ConcurrentHashMap<>();

    /** Stores the secret of a verified handshake, creating the installation or replacing its secret. */
    void register(String installationId, String sharedSecret) {
        JWTVerifier verifier = TokenVerifier.verifierFor(installationId, sharedSecret);
        byId.compute(installationId, (id, existing) -> {
            if (existing == null) {
                return new Installation(id, verifier);
            }
            existing.replaceVerifier(verifier);
            return existing;
        });
    }

    Optional<Installation> find(String installationId) {
        return Optional.ofNullable(byId.get(installationId));
    }

    @Override
    public Optional<JWTVerifier> verifierOf(String installationId) {
        return find(installationId).map(Installation::verifier);
    }
}
