package dev.syncline.api;

import java.util.Optional;

/** Tells who sent a request from its {@code Authorization} header. */
@FunctionalInterface
interface Authenticator {

    /**
     * @param authorization the request's {@code Authorization} header, if any
     * @return the caller the credential belongs to, never {@link Caller.Anonymous}
     * @throws ProblemException 401 saying what is missing or wrong, never repeating the presented credential
     */
    Caller authenticate(Optional<String> authorization);
}
