package dev.syncline.api;

import dev.syncline.core.schedule.ScheduleRequest;

/** The body of {@code PUT /v1/installations/{id}/schedule}; checked by the core. */
record ScheduleBody(String expression, String timeZone, String mode, Source snapshotSource) {

    /** Where each run's snapshot is pulled from; absent for the installation's latest upload. */
    record Source(String url, String headerName, String headerValue) {
        // The header value is a secret: never in a log line or an error that prints the body.
        @Override
        public String toString() {
            return "Source[url=" + url + ", headerName=" + headerName + "]";
        }
    }

    ScheduleRequest toRequest() {
        return snapshotSource == null
                ? new ScheduleRequest(expression, timeZone, mode, null, null, null)
                : new ScheduleRequest(expression, timeZone, mode, snapshotSource.url(), snapshotSource.headerName(), snapshotSource.headerValue());
    }
}
