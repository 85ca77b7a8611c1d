package dev.syncline.testing.lambda;

import java.time.Duration;

/**
 * The time limit of each function as {@code template.yaml} sets it ({@code Timeout}), for hosts that invoke the
 * handlers themselves: the local stack and tests enforce the same limits Lambda does. A test holds them against
 * the template.
 */
public final class FunctionTimeouts {

    public static final Duration API = Duration.ofSeconds(29);
    public static final Duration PLANNER = Duration.ofSeconds(900);
    public static final Duration WORKER = Duration.ofSeconds(120);
    public static final Duration RECONCILER = Duration.ofSeconds(60);

    private FunctionTimeouts() {
    }
}
