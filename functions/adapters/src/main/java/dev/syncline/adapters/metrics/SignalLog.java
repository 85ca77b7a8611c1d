package dev.syncline.adapters.metrics;

import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import dev.syncline.adapters.wiring.FunctionLogging;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per {@link Signal}, in the format docs/operations.md describes ("Logs"): an {@code event} name,
 * the run, installation and App ids, and the figures of the signal, each a field of the JSON line. Ids and counts only: never a payload, an App's
 * answer, a secret or a token. Runs ending and things that went wrong log at info or warn; a chunk delivered without
 * trouble logs at debug, so that the default level keeps one line per run rather than one per chunk.
 */
public final class SignalLog implements Telemetry {

    private static final Logger LOG = FunctionLogging.logger(SignalLog.class);

    public SignalLog() {
    }

    @Override
    public void report(Signal signal) {
        Map<String, Object> line = new LinkedHashMap<>();
        Level level = switch (signal) {
            case Signal.RunStarted started -> {
                ids(line, "run_started", started.runId(), started.installationId(), started.appId());
                line.put("mode", started.mode().wireName());
                yield Level.INFO;
            }
            case Signal.RunEnded ended -> {
                ids(line, "run_ended", ended.runId(), ended.installationId(), ended.appId());
                line.put("status", ended.status().wireName());
                line.put("reason", ended.reason());
                line.put("duration_ms", ended.lasted().toMillis());
                yield ended.status() == RunStatus.FAILED ? Level.WARN : Level.INFO;
            }
            case Signal.RunPlanned planned -> {
                ids(line, "run_planned", planned.runId(), planned.installationId(), planned.appId());
                line.put("resources", planned.resources());
                line.put("entries", planned.entries());
                line.put("rejected_lines", planned.rejectedLines());
                line.put("duration_ms", planned.took().toMillis());
                line.put("resources_per_second", Math.round(planned.resourcesPerSecond()));
                yield Level.INFO;
            }
            case Signal.ChunkDelivered chunk -> {
                ids(line, "chunk_delivered", chunk.ref().runId(), chunk.installationId(), chunk.appId());
                line.put("phase", chunk.ref().phase().wireName());
                line.put("chunk", chunk.ref().chunk());
                line.put("succeeded", chunk.succeeded());
                line.put("failed", chunk.failed());
                line.put("cancelled", chunk.cancelled());
                line.put("retried", chunk.retried());
                line.put("gave_up", chunk.gaveUp());
                if (chunk.failed() > 0) {
                    line.put("last_failure_http_status", chunk.lastFailureStatus());
                }
                line.put("window", chunk.window());
                line.put("duration_ms", chunk.took().toMillis());
                yield chunk.gaveUp() > 0 || chunk.failed() > 0 ? Level.WARN : chunk.retried() > 0 ? Level.INFO : Level.DEBUG;
            }
            case Signal.NotificationFailed failed -> {
                ids(line, "notification_failed", failed.runId(), failed.installationId(), failed.appId());
                line.put("notification", failed.event());
                line.put("outcome", failed.outcome());
                yield Level.WARN;
            }
            case Signal.Resent resent -> {
                ids(line, "reconciler_resent", resent.runId(), resent.installationId(), null);
                line.put("what", resent.what());
                line.put("count", resent.count());
                line.put("idle_ms", resent.idle().toMillis());
                yield Level.WARN;
            }
            case Signal.ReconcileFailed failed -> {
                ids(line, "reconcile_failed", failed.runId(), failed.installationId(), null);
                line.put("error", failed.error());
                yield Level.ERROR;
            }
            case Signal.ChunkLost lost -> {
                ids(line, "chunk_lost", lost.ref().runId(), lost.installationId(), null);
                line.put("phase", lost.ref().phase().wireName());
                line.put("chunk", lost.ref().chunk());
                line.put("entries", lost.entries());
                line.put("resends", lost.resends());
                yield Level.WARN;
            }
            case Signal.ActiveRunsSeen seen -> {
                line.put("event", "active_runs");
                line.put("active", seen.active());
                line.put("oldest_ms", seen.oldest().toMillis());
                yield Level.DEBUG;
            }
        };
        if (LOG.isEnabledForLevel(level)) {
            LoggingEventBuilder event = LOG.atLevel(level);
            line.forEach(event::addKeyValue);
            event.log();
        }
    }

    private static void ids(Map<String, Object> line, String event, Object runId, Object installationId, String appId) {
        line.put("event", event);
        if (runId != null) {
            line.put("run_id", runId.toString());
        }
        line.put("installation_id", installationId.toString());
        if (appId != null) {
            line.put("app_id", appId);
        }
    }
}
