package dev.syncline.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.sync.SyncEngine;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every minute: finds runs that stopped moving (a lost message, a function that died between two
 * writes) and moves them on. A run counts as stalled once it has been idle longer than the work queue's
 * visibility timeout, after which SQS would have redelivered anything merely slow.
 */
public final class ReconcileRunsHandler implements RequestHandler<ScheduledEvent, String> {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileRunsHandler.class);

    private final SyncEngine engine;
    private final Duration stalledAfter;

    public ReconcileRunsHandler() {
        this(Services.fromEnvironment());
    }

    /** For a host that wires once for several functions (the local stack). */
    public ReconcileRunsHandler(Services services) {
        this(services.engine(), services.stalledAfter());
    }

    ReconcileRunsHandler(SyncEngine engine, Duration stalledAfter) {
        this.engine = engine;
        this.stalledAfter = stalledAfter;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        int acted = engine.reconcile(stalledAfter);
        LOG.info("event=reconciled runs_acted_on={}", acted);
        return "reconciled " + acted + " runs";
    }
}
