package dev.syncline.core.telemetry;

import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.SyncMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Something an operator wants to count or read about: runs starting and ending, chunks delivered, notifications the
 * App refused, what the reconciler sent again, how fast planning went. Ids and counts only: never a payload, a
 * secret, a token or an App's answer.
 */
public sealed interface Signal {

    /** A run was accepted and queued for planning. */
    record RunStarted(UUID runId, UUID installationId, String appId, SyncMode mode) implements Signal {
        public RunStarted {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /**
     * A run reached its final status.
     *
     * @param reason why it failed, or how it finished (for example a file fetch that failed); null when nothing
     *     went wrong
     * @param lasted from its creation to its end
     */
    record RunEnded(UUID runId, UUID installationId, String appId, RunStatus status, String reason, Duration lasted)
            implements Signal {
        public RunEnded {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(lasted, "lasted");
        }
    }

    /**
     * A run was planned.
     *
     * @param resources snapshot lines read (accepted and rejected)
     * @param entries entries planned over every phase
     */
    record RunPlanned(UUID runId, UUID installationId, String appId, long resources, long entries, long rejectedLines,
                      Duration took) implements Signal {
        public RunPlanned {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(took, "took");
        }

        /** Resources read per second, or 0 when planning took no measurable time. */
        public double resourcesPerSecond() {
            return took.toNanos() == 0 ? 0 : resources * 1e9 / took.toNanos();
        }
    }

    /**
     * A worker delivered a chunk to the App (only the delivery that recorded its results, never a redelivered
     * message that found them recorded).
     *
     * @param retried entries that needed more than one attempt
     * @param gaveUp failed entries whose last failure was transient: retries ran out (attempts or time)
     * @param appLatencies each answered entry's time from its first attempt to its end, retries included
     * @param window the run's window after this chunk, or 0 when it was not adapted (the phase moved on meanwhile)
     * @param lastFailureStatus the App's HTTP status of the last failed entry, 0 when none failed or none answered
     */
    record ChunkDelivered(ChunkRef ref, UUID installationId, String appId, int succeeded, int failed, int cancelled, int retried,
                          int gaveUp, List<Duration> appLatencies, Duration took, int window, int lastFailureStatus)
            implements Signal {
        public ChunkDelivered {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(took, "took");
            appLatencies = List.copyOf(appLatencies);
        }
    }

    /**
     * The App did not accept a notification: {@code synchronization_started}, {@code synchronization_ended},
     * {@code app_installed}, {@code app_uninstalled}. The engine goes on regardless.
     *
     * @param runId the run it was about, or null for a lifecycle notification
     * @param outcome what happened, in the engine's words ("answered 500", "timed out"), never the App's body
     */
    record NotificationFailed(UUID runId, UUID installationId, String appId, String event, String outcome) implements Signal {
        public NotificationFailed {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * The reconciler looked at the runs that hold their installation.
     *
     * @param active runs found active
     * @param oldest how long the oldest of them has run ({@link Duration#ZERO} when none)
     */
    record ActiveRunsSeen(int active, Duration oldest) implements Signal {
        public ActiveRunsSeen {
            Objects.requireNonNull(oldest, "oldest");
        }
    }

    /**
     * The reconciler sent a stalled run's work again: its lost chunks, or its prepare message.
     *
     * @param what {@code chunks} or {@code prepare}
     * @param count messages sent again
     */
    record Resent(UUID runId, UUID installationId, String what, int count, Duration idle) implements Signal {
        public Resent {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(idle, "idle");
        }
    }

    /**
     * The reconciler could not move a run on; it went on with the others and tries this one again on its next pass.
     *
     * @param error the exception's class and message: Syncline's own words, never a payload or a secret
     */
    record ReconcileFailed(UUID runId, UUID installationId, String error) implements Signal {
        public ReconcileFailed {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The reconciler gave a chunk up as lost: it had been sent again {@code resends} times and no worker recorded it, so
     * its {@code entries} ended failed with reason {@code lost}.
     */
    record ChunkLost(ChunkRef ref, UUID installationId, int entries, int resends) implements Signal {
        public ChunkLost {
            Objects.requireNonNull(ref, "ref");
        }
    }
}
