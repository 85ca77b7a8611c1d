package dev.syncline.sampleapp;

import dev.syncline.sampleapp.ReceivedRequest.Outcome;

/** What the App answers to one request and how that request is recorded. */
record Answer(HttpReply reply, Outcome outcome, String reason) {

    static Answer accepted(HttpReply reply) {
        return new Answer(reply, Outcome.ACCEPTED, null);
    }

    static Answer duplicate(HttpReply reply) {
        return new Answer(reply, Outcome.DUPLICATE, "repeated X-Idempotency-Key");
    }

    static Answer rejected(String reason) {
        return new Answer(HttpReply.error(401, "unauthorized", reason), Outcome.REJECTED, reason);
    }

    static Answer invalid(int status, String code, String reason) {
        return new Answer(HttpReply.error(status, code, reason), Outcome.INVALID, reason);
    }

    static Answer faulted(HttpReply reply, String reason) {
        return new Answer(reply, Outcome.FAULTED, reason);
    }

    static Answer failed(String reason) {
        return new Answer(HttpReply.error(500, "internal_error", reason), Outcome.FAILED, reason);
    }
}
