package dev.syncline.core.sync;

import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.delivery.AppEndpoint;
import dev.syncline.core.delivery.ChunkDeliverer;
import dev.syncline.core.delivery.ChunkQueue;
import dev.syncline.core.delivery.ChunkResults;
import dev.syncline.core.delivery.ChunkStore;
import dev.syncline.core.delivery.Notifications;
import dev.syncline.core.delivery.Notifier;
import dev.syncline.core.delivery.ResourceCustoms;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.plan.Planner;
import dev.syncline.core.telemetry.Telemetry;
import dev.syncline.core.webhook.Webhooks;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * Runs synchronizations, in one part per function that runs them: the api triggers, cancels and confirms them
 * ({@link RunControl}), the planner plans them ({@link RunPlanning}), the worker delivers their chunks
 * ({@link ChunkDelivery}) and the reconciler unsticks them ({@link RunRecovery}). The parts share one run lifecycle
 * (releasing chunks, advancing phases, ending runs). Every step is safe to repeat, because SQS delivers at least once
 * and functions may die at any line. Built once per function instance; each function uses only its own part.
 */
public record SyncEngine(RunControl control, RunPlanning planning, ChunkDelivery delivery, RunRecovery recovery) {

    /** Everything the engine talks to. */
    public record Ports(
            RunStore runs,
            RunDispatch dispatch,
            ActiveRuns active,
            ControlQueue control,
            ChunkQueue work,
            ChunkStore chunks,
            ChunkResults results,
            ResourceCustoms customs,
            DeliveredState state,
            Planner planner,
            ChunkDeliverer deliverer,
            AppEndpoint app,
            InstallationService installations,
            AppRegistry apps,
            SecretVault vault,
            SnapshotCheck snapshots,
            RunPreviews previews,
            PlanCost planCost,
            int tenantMaxActiveRuns) {

        /** How many runs one tenant may have active at once unless the deployment says otherwise. */
        public static final int DEFAULT_TENANT_MAX_ACTIVE_RUNS = 20;

        public Ports {
            if (tenantMaxActiveRuns < 1) {
                throw new IllegalArgumentException("tenantMaxActiveRuns must be at least 1, got " + tenantMaxActiveRuns);
            }
        }
    }

    /**
     * What delivering a number of entries would cost an installation, in US dollars, from what its recent runs cost per
     * planned entry: how a preview is priced, once, when it is planned.
     */
    @FunctionalInterface
    public interface PlanCost {

        /** Nothing is priced: no preview shows a cost. */
        PlanCost NONE = (installationId, entries) -> OptionalDouble.empty();

        /** Empty while the installation has no ended run that sent something to learn the price from. */
        OptionalDouble usd(UUID installationId, long entries);
    }

    /** Whether a snapshot was uploaded for an installation. */
    @FunctionalInterface
    public interface SnapshotCheck {
        boolean exists(UUID installationId, String snapshotId);
    }

    /**
     * The engine with no webhooks, whose notices' outcomes are not kept (only reported when they fail).
     *
     * @param ending what happens once a run has its final status (asking for the App's file)
     * @param telemetry where runs starting and ending, chunks delivered and re-sends are reported
     */
    public static SyncEngine create(Ports ports, Clock clock, RunEnding ending, Telemetry telemetry) {
        return create(ports, clock, ending, telemetry, new Notifier(ports.app(), Notifications.NONE, clock, Thread::sleep,
                new SecureRandom(), Duration.ofSeconds(10), Duration.ofSeconds(20)), Webhooks.NONE);
    }

    /**
     * @param ending what happens once a run has its final status (asking for the App's file)
     * @param telemetry where runs starting and ending, chunks delivered and re-sends are reported
     * @param notifier sends {@code synchronization_started/ended} with retries and records how they went
     * @param webhooks what the installation's webhook hears: a run held, started and ended
     */
    public static SyncEngine create(Ports ports, Clock clock, RunEnding ending, Telemetry telemetry, Notifier notifier,
            Webhooks webhooks) {
        RunLifecycle lifecycle = new RunLifecycle(ports, clock, ending, telemetry, notifier, webhooks);
        ChunkDelivery delivery = new ChunkDelivery(lifecycle);
        return new SyncEngine(new RunControl(lifecycle), new RunPlanning(lifecycle), delivery, new RunRecovery(lifecycle, delivery));
    }
}
