package dev.syncline.testing.lambda;

/**
 * The memory of each function as {@code template.yaml} sets it ({@code MemorySize}), in MB, for hosts that invoke
 * the handlers themselves: Lambda bills duration times memory, so a run's recorded GB-seconds follow the template
 * in the local stack and tests as on AWS. A test holds them against the template.
 */
public final class FunctionMemory {

    public static final int API = 1024;
    public static final int PLANNER = 2048;
    public static final int WORKER = 1024;
    public static final int RECONCILER = 512;

    private FunctionMemory() {
    }

    /** The memory of {@code syncline-<function>}; the api's for a function the template does not have. */
    public static int of(String function) {
        return switch (function) {
            case "planner" -> PLANNER;
            case "worker" -> WORKER;
            case "reconciler" -> RECONCILER;
            default -> API;
        };
    }
}
