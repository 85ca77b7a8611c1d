package dev.syncline.adapters.aws;

import dev.syncline.adapters.config.Config;
import dev.syncline.testing.AwsStack;

/** Builds the production client factory against the test stack, as a function would from its environment. */
public final class EmulatorClients {

    private EmulatorClients() {
    }

    public static Config config(AwsStack stack) {
        return Config.from(stack.environment());
    }

    public static AwsClientFactory factory(AwsStack stack) {
        return AwsClientFactory.create(config(stack));
    }
}
