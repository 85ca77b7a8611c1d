package dev.syncline.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <api key>} against the deployment's keys, which it knows only as SHA-256
 * digests: a leaked configuration reveals no key. The digest of the presented key is compared with every
 * configured one in constant time, so the answer's timing says nothing about how close a guess was.
 */
final class ApiKeys implements Authenticator {

    private static final String SCHEME = "bearer ";
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"syncline\"");
    private static final Map<String, String> INVALID =
            Map.of("WWW-Authenticate", "Bearer realm=\"syncline\", error=\"invalid_token\"");

    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("at least one API key digest is needed");
        }
        this.digests = List.copyOf(digests);
    }

    /** Keys known by their hex SHA-256 digests. */
    static ApiKeys fromHexDigests(List<String> hexDigests) {
        return new ApiKeys(hexDigests.stream().map(HexFormat.of()::parseHex).toList());
    }

    /** The operator, when the key is one of the deployment's configured keys. */
    @Override
    public Caller authenticate(Optional<String> authorization) {
        if (authorization.isEmpty() || authorization.get().isBlank()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "The request has no Authorization header: send 'Authorization: Bearer <api key>' with a key of"
                            + " this deployment.", CHALLENGE);
        }
        String header = authorization.get().strip();
        if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME) || header.substring(SCHEME.length()).isBlank()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <api key>'.",
                    CHALLENGE);
        }
        byte[] presented = sha256(header.substring(SCHEME.length()).strip());
        boolean known = false;
        for (byte[] digest : digests) {
            // No early exit: every request costs the same comparisons.
            known |= MessageDigest.isEqual(digest, presented);
        }
        if (!known) {
            throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "The API key is not valid for this deployment: check that the whole key was sent, or ask the"
                            + " operator for a key.", INVALID);
        }
        return Caller.OPERATOR;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
