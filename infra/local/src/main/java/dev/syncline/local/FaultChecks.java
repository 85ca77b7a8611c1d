package dev.syncline.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the fault suite demands of every run, whatever was injected, each broken rule a line saying which run and
 * what: it ended; each phase's planned entries are exactly its succeeded, failed and cancelled ones; each entry
 * counted succeeded was accepted by the App; no request of the run reached the App after its end; and the next
 * incremental run sends exactly the entries that did not succeed.
 */
final class FaultChecks {

    static final Set<String> ENDED = Set.of("finished", "finished_with_errors", "failed", "cancelled");
    private static final int PAGE = 500;

    private final SynclineClient api;

    FaultChecks(SynclineClient api) {
        this.api = api;
    }

    /**
     * The rules one ended run must keep; {@code run} as the API last showed it, {@code retryBudget} its installation's.
     */
    List<String> check(JsonNode run, SampleApp app, int retryBudget) {
        List<String> violations = new ArrayList<>();
        String id = run.path("id").asText();
        String status = run.path("status").asText();
        if (!ENDED.contains(status)) {
            violations.add("run " + id + " did not end: " + status);
            return violations;
        }
        for (var phase : run.path("phases").properties()) {
            JsonNode counts = phase.getValue();
            long planned = counts.path("planned").asLong();
            long ended = counts.path("succeeded").asLong() + counts.path("failed").asLong() + counts.path("cancelled").asLong();
            if (planned != ended) {
                violations.add("run " + id + " " + phase.getKey() + ": planned " + planned + " but succeeded + failed + cancelled = " + ended);
            }
        }
        violations.addAll(succeededWereAccepted(id, app));
        violations.addAll(nothingAfterTheEnd(run, app));
        violations.addAll(attemptsWithinBudget(id, app, retryBudget));
        return violations;
    }

    /** No entry is sent more than {@code retry_budget + 1} times in a run, whatever was lost or delivered twice. */
    private static List<String> attemptsWithinBudget(String runId, SampleApp app, int retryBudget) {
        Map<String, Integer> attempts = new HashMap<>();
        for (ReceivedRequest request : app.receivedRequests(r -> r.isConsume() && runId.equals(r.synchronizationId().orElse(null))
                && !r.event().startsWith("synchronization_"))) {
            request.idempotencyKey().ifPresent(key -> attempts.merge(key, 1, Integer::sum));
        }
        long over = attempts.values().stream().filter(count -> count > retryBudget + 1).count();
        if (over == 0) {
            return List.of();
        }
        return List.of("run " + runId + ": " + over + " entries were sent more than retry_budget + 1 = " + (retryBudget + 1)
                + " times, up to " + attempts.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    private List<String> succeededWereAccepted(String runId, SampleApp app) {
        Map<String, Set<String>> acceptedKeys = new HashMap<>();
        for (ReceivedRequest request : app.receivedRequests(r -> r.isConsume() && r.outcome() == ReceivedRequest.Outcome.ACCEPTED
                && runId.equals(r.synchronizationId().orElse(null)) && !r.event().startsWith("synchronization_"))) {
            acceptedKeys.computeIfAbsent(request.event() + " " + request.resourceId().orElse("?"), k -> new HashSet<>())
                    .add(request.idempotencyKey().orElse(request.receivedAt().toString()));
        }
        Map<String, Integer> succeeded = new HashMap<>();
        for (JsonNode entry : entries(runId, "succeeded")) {
            succeeded.merge(entry.path("event").asText() + " " + entry.path("resource").path("id").asText(), 1, Integer::sum);
        }
        List<String> violations = new ArrayList<>();
        Set<String> notAccepted = new TreeSet<>();
        succeeded.forEach((key, count) -> {
            if (acceptedKeys.getOrDefault(key, Set.of()).size() < count) {
                notAccepted.add(key);
            }
        });
        if (!notAccepted.isEmpty()) {
            violations.add("run " + runId + ": " + notAccepted.size() + " entries counted succeeded that the App never accepted, e.g. "
                    + notAccepted.stream().limit(5).toList());
        }
        return violations;
    }

    private static List<String> nothingAfterTheEnd(JsonNode run, SampleApp app) {
        String runId = run.path("id").asText();
        if (!run.hasNonNull("ended_at")) {
            return List.of("run " + runId + " has ended without an ended_at");
        }
        Instant end = Instant.parse(run.path("ended_at").asText());
        List<ReceivedRequest> late = app.receivedRequests(r -> runId.equals(r.synchronizationId().orElse(null))
                && r.receivedAt().isAfter(end)
                && !"synchronization_ended".equals(r.event())
                && !r.path().equals("/download-file"));
        if (late.isEmpty()) {
            return List.of();
        }
        return List.of("run " + runId + ": " + late.size() + " requests reached the App after the run ended at " + end + ", the first "
                + late.getFirst().path() + " " + late.getFirst().resourceId().orElse("") + " at " + late.getFirst().receivedAt());
    }

    /**
     * The next incremental run must plan exactly the entries of the earlier one that did not succeed, and the App must
     * have received exactly those (faults stopped, each once).
     */
    List<String> checkNext(JsonNode earlier, JsonNode next, SampleApp app) {
        Set<String> unfinished = new TreeSet<>();
        for (JsonNode entry : entries(earlier.path("id").asText(), null)) {
            if (!entry.path("status").asText().equals("succeeded")) {
                unfinished.add(position(entry));
            }
        }
        Set<String> sent = new TreeSet<>();
        List<String> planned = new ArrayList<>();
        for (JsonNode entry : entries(next.path("id").asText(), null)) {
            sent.add(position(entry));
            planned.add(entry.path("event").asText() + " " + entry.path("resource").path("id").asText());
        }
        List<String> violations = new ArrayList<>();
        String nextId = next.path("id").asText();
        Map<String, String> received = new HashMap<>();
        for (ReceivedRequest request : app.receivedRequests(r -> r.isConsume() && r.outcome() == ReceivedRequest.Outcome.ACCEPTED
                && nextId.equals(r.synchronizationId().orElse(null)) && !r.event().startsWith("synchronization_"))) {
            received.put(request.idempotencyKey().orElse(request.receivedAt().toString()), request.event() + " " + request.resourceId().orElse("?"));
        }
        List<String> receivedSorted = new ArrayList<>(received.values());
        receivedSorted.sort(null);
        planned.sort(null);
        if (!receivedSorted.equals(planned)) {
            violations.add("run " + nextId + " planned " + planned.size() + " entries but the App accepted " + receivedSorted.size());
        }
        if (unfinished.equals(sent)) {
            return violations;
        }
        Set<String> missing = new TreeSet<>(unfinished);
        missing.removeAll(sent);
        Set<String> extra = new TreeSet<>(sent);
        extra.removeAll(unfinished);
        violations.add("the run after " + earlier.path("id").asText() + " planned " + sent.size() + " entries where " + unfinished.size()
                + " had not succeeded; not sent again: " + sample(missing) + "; sent though they had succeeded: " + sample(extra));
        return violations;
    }

    private static String position(JsonNode entry) {
        return entry.path("phase").asText() + " " + entry.path("resource").path("type").asText() + " " + entry.path("resource").path("id").asText();
    }

    private static String sample(Set<String> positions) {
        return positions.size() + (positions.isEmpty() ? "" : " " + positions.stream().limit(5).toList());
    }

    /** Every entry of a run (of a status, or all planned), page by page. */
    List<JsonNode> entries(String runId, String status) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        // Bounded: a run of the suite has far fewer than 500 000 entries.
        for (int page = 0; page < 1_000; page++) {
            String path = "/v1/synchronizations/" + runId + "/entries?limit=" + PAGE + (status == null ? "" : "&status=" + status)
                    + (cursor == null ? "" : "&cursor=" + cursor);
            SynclineClient.Answer answer = FaultSuite.retrying(() -> api.get(path), Duration.ofSeconds(30));
            answer.body().path("entries").forEach(entries::add);
            JsonNode next = answer.body().path("next_cursor");
            if (next.isNull() || next.isMissingNode()) {
                return entries;
            }
            cursor = next.asText();
        }
        throw new IllegalStateException("run " + runId + " has more entries than the suite reads");
    }
}
