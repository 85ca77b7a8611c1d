package dev.syncline.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.syncline.adapters.metrics.EmfMetrics;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.sync.SyncEngine;
import java.time.Duration;
import org.slf4j.Logger;
import dev.syncline.adapters.wiring.FunctionLogging;

/**
 * Runs every minute: finds runs that stopped moving (a lost message, a function that died between two
 * writes) and moves them on. A run counts as stalled once it has been idle longer than the work queue's
 * visibility timeout, after which SQS would have redelivered anything merely slow.
 */
public final class ReconcileRunsHandler implements RequestHandler<ScheduledEvent, String> {

    private static final Logger LOG = FunctionLogging.logger(ReconcileRunsHandler.class);

    private final SyncEngine engine;
    private final Duration stalledAfter;
    private final EmfMetrics metrics;

    public ReconcileRunsHandler() {
        this(Services.fromEnvironment());
    }

    /** For a host that wires once for several functions (the local stack). */
    public ReconcileRunsHandler(Services services) {
        this.engine = services.engine();
        this.stalledAfter = services.stalledAfter();
        this.metrics = services.metrics();
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        int acted;
        try {
            acted = engine.reconcile(stalledAfter);
        } finally {
            metrics.flush();
        }
        LOG.debug("event=reconciled runs_acted_on={}", acted);
        return "reconciled " + acted + " runs";
    }
}
