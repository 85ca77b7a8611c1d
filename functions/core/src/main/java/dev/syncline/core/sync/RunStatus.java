package dev.syncline.core.sync;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a synchronization: {@code preparing → execution → finished | finished_with_errors | failed | cancelled}.
 * A plan that trips the installation's deletion guard waits in {@code awaiting_confirmation} between preparing and
 * execution, having sent nothing, until the PIM confirms or cancels it (or it expires, cancelled).
 */
public enum RunStatus {
    PREPARING,
    AWAITING_CONFIRMATION,
    EXECUTION,
    FINISHED,
    FINISHED_WITH_ERRORS,
    FAILED,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isTerminal() {
        return this != PREPARING && this != AWAITING_CONFIRMATION && this != EXECUTION;
    }

    /** Whether a run may move from this status to {@code next}; terminal statuses never move again. */
    public boolean canMoveTo(RunStatus next) {
        return successors().contains(next);
    }

    private Set<RunStatus> successors() {
        return switch (this) {
            case PREPARING -> EnumSet.of(AWAITING_CONFIRMATION, EXECUTION, FINISHED, FAILED, CANCELLED);
            case AWAITING_CONFIRMATION -> EnumSet.of(EXECUTION, CANCELLED);
            case EXECUTION -> EnumSet.of(FINISHED, FINISHED_WITH_ERRORS, FAILED, CANCELLED);
            case FINISHED, FINISHED_WITH_ERRORS, FAILED, CANCELLED -> EnumSet.noneOf(RunStatus.class);
        };
    }
}
