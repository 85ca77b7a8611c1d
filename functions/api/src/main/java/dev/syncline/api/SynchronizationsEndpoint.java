package dev.syncline.api;

import dev.syncline.adapters.dynamodb.DynamoDbChunkResults;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.PreviewView;
import dev.syncline.adapters.json.CostView;
import dev.syncline.adapters.json.RunView;
import dev.syncline.adapters.metrics.RunUsageMeter;
import dev.syncline.core.cost.CostEstimate;
import dev.syncline.core.cost.RunUsage;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.SynclineException;
import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.RunStore;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.core.sync.TriggerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /v1/.../synchronizations}: trigger (or preview), read, history, entries, confirm, cancel. Reads never load a whole
 * run: history and entries come a page at a time behind an opaque cursor.
 */
final class SynchronizationsEndpoint {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 500;
    private static final List<String> ENTRY_EVENTS = java.util.Arrays.stream(dev.syncline.core.app.AppEvent.values())
            .map(dev.syncline.core.app.AppEvent::wireName)
            .filter(name -> name.startsWith("attribute_") || name.startsWith("category_") || name.startsWith("product_"))
            .toList();

    /**
     * The body of {@code POST /v1/installations/{id}/synchronizations} and {@code .../plans}.
     *
     * @param dryRun true to plan without sending anything, as {@code .../plans} does
     */
    record TriggerBody(String mode, String snapshotId, Boolean dryRun) {
    }

    /** The answer to a trigger: the run and where to follow it. */
    record Triggered(RunView synchronization, String url) {
    }

    record History(List<RunView> synchronizations, String nextCursor) {
    }

    record Entries(List<EntryView> entries, String nextCursor) {
    }

    private final Services services;
    private final JsonBodies bodies;
    private final JsonCodec json;
    private final Cursors cursors;

    SynchronizationsEndpoint(Services services, JsonBodies bodies, JsonCodec json, Cursors cursors) {
        this.services = services;
        this.bodies = bodies;
        this.json = json;
        this.cursors = cursors;
    }

    ApiResponse trigger(ApiRequest request, Map<String, String> path) {
        return start(request, path, false);
    }

    /** {@code POST /v1/installations/{id}/plans}: a trigger that plans and waits, sending nothing, until it is confirmed. */
    ApiResponse preview(ApiRequest request, Map<String, String> path) {
        return start(request, path, true);
    }

    private ApiResponse start(ApiRequest request, Map<String, String> path, boolean preview) {
        UUID installation = Ids.installation(path.get("installation_id"));
        TriggerBody body = bodies.read(request, TriggerBody.class);
        SyncMode mode = mode(body.mode());
        if (body.snapshotId() == null || body.snapshotId().isBlank()) {
            throw new SynclineException.Invalid("synchronization request", List.of(new SynclineException.Violation("snapshot_id",
                    "snapshot_id is required: upload the catalog with POST /v1/installations/" + installation + "/snapshots first")));
        }
        Run run = services.runControl().trigger(new TriggerRequest(installation, mode, body.snapshotId(),
                request.header("Idempotency-Key").filter(key -> !key.isBlank()).orElse(null), preview || Boolean.TRUE.equals(body.dryRun())));
        RunUsageMeter.attributeCurrentTo(run.id());
        services.snapshotRecords().used(installation, run.snapshotId(), run.id(), services.clock().instant());
        RunView view = view(run);
        return ApiResponse.json(202, json.write(new Triggered(view, view.url()))).withHeader("Location", view.url());
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, json.write(view(find(request, path))));
    }

    ApiResponse cancel(ApiRequest request, Map<String, String> path) {
        Run run = find(request, path);
        return ApiResponse.json(200, json.write(view(services.runControl().cancel(run.id()))));
    }

    ApiResponse confirm(ApiRequest request, Map<String, String> path) {
        Run run = find(request, path);
        return ApiResponse.json(200, json.write(view(services.runControl().confirm(run.id()))));
    }

    ApiResponse history(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        request.reads().installation(installation);
        String listing = "history " + installation;
        RunStore.Page page = services.runs().history(installation, limit(request), cursors.open(listing, request.queryParameter("cursor").orElse(null)));
        String next = Cursors.unlessLast(page.nextCursor(), position -> !services.runs().history(installation, 1, position).runs().isEmpty());
        // The page's costs in one batch read rather than one read per run.
        Map<UUID, RunUsage> used = services.runUsage().findAll(page.runs().stream().map(Run::id).toList());
        return ApiResponse.json(200, json.write(new History(page.runs().stream().map(run -> view(run, used.get(run.id()))).toList(),
                cursors.seal(listing, next))));
    }

    ApiResponse entries(ApiRequest request, Map<String, String> path) {
        Run run = find(request, path);
        Optional<String> status = request.queryParameter("status").map(s -> s.toLowerCase(Locale.ROOT));
        Optional<Phase> phase = request.queryParameter("phase").map(SynchronizationsEndpoint::phase);
        Optional<String> event = request.queryParameter("event").filter(name -> !name.isBlank()).map(SynchronizationsEndpoint::event);
        int limit = limit(request);
        // The listing a cursor is bound to: this run with these filters (not the page size).
        String listing = "entries " + run.id() + " status=" + status.orElse("") + " phase=" + phase.map(Phase::wireName).orElse("")
                + " event=" + event.orElse("");
        String cursor = cursors.open(listing, request.queryParameter("cursor").orElse(null));
        Entries entries = switch (status.orElse("")) {
            case "rejected" -> rejected(run, cursor, limit);
            case "failed" -> failed(run, phase, event, cursor, limit);
            case "", "planned", "succeeded", "cancelled" -> byChunk(run, phase, status, event, cursor, limit);
            default -> throw new SynclineException.Invalid("entries query", List.of(new SynclineException.Violation("status",
                    "status must be one of planned, succeeded, failed, cancelled, rejected; got " + SynclineException.quote(status.get()))));
        };
        return ApiResponse.json(200, json.write(new Entries(entries.entries(), cursors.seal(listing, entries.nextCursor()))));
    }

    // ---- entries ----------------------------------------------------------------------------------

    // Each returns a page whose nextCursor is the position to read on from, sealed by entries(...).

    private Entries rejected(Run run, String position, int limit) {
        long offset = position == null ? 0 : Long.parseLong(position);
        List<SnapshotLine.Rejected> lines = services.plans().rejectedLines(run.id(), offset, limit + 1);
        List<EntryView> views = lines.stream().limit(limit).map(EntryView::rejected).toList();
        return new Entries(views, lines.size() > limit ? Long.toString(offset + limit) : null);
    }

    private Entries failed(Run run, Optional<Phase> phase, Optional<String> event, String cursor, int limit) {
        // The failure index is read per phase when one is asked for, so pages are never short for the filter.
        DynamoDbChunkResults.EntryPage page = phase.isPresent()
                ? services.results().failed(run.id(), phase.get(), limit, cursor)
                : services.results().failed(run.id(), limit, cursor);
        String next = Cursors.unlessLast(page.nextCursor(), position -> !(phase.isPresent()
                ? services.results().failed(run.id(), phase.get(), 1, position)
                : services.results().failed(run.id(), 1, position)).entries().isEmpty());
        Map<ChunkRef, Chunk> chunks = new HashMap<>();
        List<EntryView> views = new ArrayList<>();
        for (DynamoDbChunkResults.RecordedEntry entry : page.entries()) {
            Chunk chunk = chunks.computeIfAbsent(entry.chunk(), services.chunks()::load);
            EntryView view = EntryView.of(entry.chunk(), chunk.entries().get(entry.result().index()), entry.result());
            if (event.isEmpty() || event.get().equals(view.event())) {
                views.add(view);
            }
        }
        return new Entries(views, next);
    }

    /**
     * Walks chunks in phase and chunk order: recorded ones from their results, the others from the plan. A page stops
     * at {@code limit} entries, mid-chunk if need be; its position is {@code <phase>:<chunk>:<index>} of the first entry
     * of the next page, which is looked for before answering so that the last page has no cursor.
     */
    private Entries byChunk(Run run, Optional<Phase> onlyPhase, Optional<String> status, Optional<String> event, String position, int limit) {
        Phase phase = onlyPhase.orElse(Phase.ATTRIBUTES);
        int chunk = 0;
        int from = 0;
        if (position != null) {
            // Sealed by this API, so of the shape it wrote.
            String[] parts = position.split(":");
            phase = phase(parts[0]);
            chunk = Integer.parseInt(parts[1]);
            from = Integer.parseInt(parts[2]);
        }
        List<EntryView> views = new ArrayList<>();
        Map<Phase, dev.syncline.core.sync.PhaseCounts> counts = services.dispatch().counts(run.id());
        boolean ended = run.status().isTerminal();
        // Bounded: every pass reads the next planned chunk, and a run has finitely many.
        while (true) {
            long planned = counts.getOrDefault(phase, dev.syncline.core.sync.PhaseCounts.ZERO).planned();
            ChunkRef ref = new ChunkRef(run.id(), phase, chunk);
            Optional<Chunk> plannedChunk = planned == 0 ? Optional.empty() : load(ref);
            if (plannedChunk.isEmpty()) {
                if (onlyPhase.isPresent() || phase.ordinal() == Phase.values().length - 1) {
                    return new Entries(views, null);
                }
                phase = Phase.values()[phase.ordinal() + 1];
                chunk = 0;
                from = 0;
                continue;
            }
            Optional<dev.syncline.core.delivery.ChunkResult> result = services.results().find(ref);
            List<PlannedEntry> entries = plannedChunk.get().entries();
            for (int i = from; i < entries.size(); i++) {
                EntryView view = result.isPresent()
                        ? EntryView.of(ref, entries.get(i), result.get().entries().get(i))
                        : EntryView.unsent(ref, i, entries.get(i), ended || run.status() == RunStatus.CANCELLED);
                if ((status.isEmpty() || status.get().equals(view.status())) && (event.isEmpty() || event.get().equals(view.event()))) {
                    if (views.size() == limit) {
                        return new Entries(views, phase.wireName() + ":" + chunk + ":" + i);
                    }
                    views.add(view);
                }
            }
            chunk++;
            from = 0;
        }
    }

    private Optional<Chunk> load(ChunkRef ref) {
        try {
            return Optional.of(services.chunks().load(ref));
        } catch (IllegalStateException missing) {
            return Optional.empty();
        }
    }

    // ---- shared -----------------------------------------------------------------------------------

    /** The run the path names, as the request read it before changing anything. */
    private static Run find(ApiRequest request, Map<String, String> path) {
        return request.reads().run(Ids.synchronization(path.get("synchronization_id")));
    }

    private RunView view(Run run) {
        return view(run, services.runUsage().find(run.id()));
    }

    private RunView view(Run run, RunUsage used) {
        RunView view = RunView.of(run, services.dispatch(), services.runFiles(), services.notifications(), Instant.now(services.clock()))
                .withCost(CostView.of(CostEstimate.of(used, services.prices())));
        // Shown once planned: the preview is kept a moment before the run moves on from preparing. Its estimate, price
        // included, was worked out when it was planned: a read is one GetItem.
        return run.preview() && run.status() != RunStatus.PREPARING
                ? view.withPreview(services.previews().find(run.id())
                        .map(preview -> PreviewView.of(preview, run.id().toString(), run.status() == RunStatus.AWAITING_CONFIRMATION))
                        .orElse(null))
                : view;
    }

    private static SyncMode mode(String text) {
        if (text != null) {
            for (SyncMode mode : SyncMode.values()) {
                if (mode.wireName().equals(text)) {
                    return mode;
                }
            }
        }
        throw new SynclineException.Invalid("synchronization request", List.of(new SynclineException.Violation("mode",
                "mode must be incremental or full; got " + SynclineException.quote(text))));
    }

    private static Phase phase(String text) {
        for (Phase phase : Phase.values()) {
            if (phase.wireName().equals(text)) {
                return phase;
            }
        }
        throw new SynclineException.Invalid("entries query", List.of(new SynclineException.Violation("phase",
                "phase must be one of attributes, categories, products, relations; got " + SynclineException.quote(text))));
    }

    /** An entry's event: one of a catalog resource's, as the App's {@code /consume/{event}} requests name them. */
    private static String event(String text) {
        if (ENTRY_EVENTS.contains(text)) {
            return text;
        }
        throw new SynclineException.Invalid("entries query", List.of(new SynclineException.Violation("event",
                "event must be one of " + String.join(", ", ENTRY_EVENTS) + "; got " + SynclineException.quote(text))));
    }

    static int limit(ApiRequest request) {
        Optional<String> text = request.queryParameter("limit");
        if (text.isEmpty()) {
            return DEFAULT_PAGE;
        }
        try {
            int limit = Integer.parseInt(text.get());
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new SynclineException.Invalid("query", List.of(new SynclineException.Violation("limit",
                "limit must be a whole number from 1 to " + MAX_PAGE + "; got " + SynclineException.quote(text.get()))));
    }

}
