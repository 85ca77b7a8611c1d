package dev.syncline.testing;


/**
 * The services of one test JVM and the stack created in them; closed by JUnit at the end of the run (an
 * {@link AutoCloseable} in the root store) and,
 * should the JVM be stopped before that, by a shutdown hook (dynalite also watches its stdin).
 */
final class RunningServices implements AutoCloseable {

    private final AutoCloseable services;
    private final AwsStack stack;
    private final Thread shutdownHook;

    private RunningServices(AutoCloseable services, AwsStack stack) {
        this.services = services;
        this.stack = stack;
        this.shutdownHook = new Thread(this::stopServices, "syncline-emulators-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static final String DOCKER_ABSENT =
            "Docker is absent: the LocalStack integration tests are skipped (run without -Plocalstack to use the in-JVM emulators).";

    private static boolean localStackRequested() {
        return "localstack".equals(System.getProperty("syncline.aws"));
    }

    /** False only when LocalStack is asked for and no Docker engine answers. */
    static boolean canStart() {
        return !localStackRequested() || LocalStackServices.dockerAvailable();
    }

    static RunningServices start() {
        if (localStackRequested()) {
            LocalStackServices localStack = LocalStackServices.start();
            return new RunningServices(localStack, AwsStack.create(localStack.endpoints(), "syncline-test"));
        }
        Emulators emulators = Emulators.start(Emulators.Options.inMemory());
        System.out.printf("AWS emulators started in %d ms: %s%n", emulators.startupTime().toMillis(), emulators.endpoints());
        return new RunningServices(emulators, AwsStack.create(emulators.endpoints(), "syncline-test"));
    }

    AwsStack stack() {
        return stack;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs anyway.
        }
        stopServices();
    }

    private synchronized void stopServices() {
        stack.close();
        try {
            services.close();
        } catch (Exception e) {
            throw new IllegalStateException("AWS services did not stop", e);
        }
    }
}
