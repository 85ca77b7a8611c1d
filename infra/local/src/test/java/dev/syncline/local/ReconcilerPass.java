package dev.syncline.local;

import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.testing.AwsStack;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** One reconciler pass over a test's local stack, as it would run some time from now: to expire what waits too long. */
final class ReconcilerPass {

    private ReconcilerPass() {
    }

    /** @return the number of runs the pass acted on */
    static int at(AwsStack stack, LocalSyncline.Options options, Duration later) {
        Map<String, String> environment = new HashMap<>(stack.environment());
        environment.put(Config.SECRETS_LOCAL_KEY, options.secretsKey());
        try (Services services = Services.create(Config.from(environment), Clock.offset(Clock.systemUTC(), later))) {
            return services.runRecovery().reconcile(Duration.ofDays(30));
        }
    }
}
