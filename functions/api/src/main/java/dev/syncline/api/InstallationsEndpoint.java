package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppId;
import dev.syncline.core.delivery.Notifications;
import dev.syncline.core.file.FeedService;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationResult;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.InstallationStore;
import dev.syncline.core.schedule.ScheduleService;
import dev.syncline.core.webhook.WebhookService;
import dev.syncline.core.sync.RunControl;
import dev.syncline.core.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code /v1/installations}: install, read, list (by App, or all a page at a time), change settings, uninstall. */
final class InstallationsEndpoint {

    /** The body of {@code GET /v1/installations?app_id=}. */
    record InstallationList(List<InstallationView> installations) {
    }

    /** The body of {@code GET /v1/installations} without {@code app_id}: a page, newest first. */
    record InstallationPage(List<InstallationView> installations, String nextCursor) {
    }

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 100;

    private final InstallationService installations;
    private final JsonBodies bodies;
    private final JsonCodec json;
    private final FeedService feeds;
    private final ScheduleService schedules;
    private final Cursors cursors;
    private final WebhookService webhooks;
    private final RunControl control;
    private final Notifications notifications;
    private final TenantScope scope;

    /**
     * @param control uninstalls, so that the installation's active run is cancelled first
     * @param scope the tenant a new installation belongs to
     */
    InstallationsEndpoint(InstallationService installations, JsonBodies bodies, JsonCodec json, FeedService feeds, ScheduleService schedules,
            Cursors cursors, WebhookService webhooks, RunControl control, Notifications notifications, TenantScope scope) {
        this.scope = scope;
        this.cursors = cursors;
        this.webhooks = webhooks;
        this.control = control;
        this.notifications = notifications;
        this.installations = installations;
        this.bodies = bodies;
        this.json = json;
        this.feeds = feeds;
        this.schedules = schedules;
    }

    /**
     * 201 once the App accepted the handshake; the core answers 502 (nothing stored) when it did not. A webhook is
     * checked before the App hears of the installation, and set once it is installed.
     */
    ApiResponse install(ApiRequest request, Map<String, String> path) {
        InstallationBody body = bodies.read(request, InstallationBody.class);
        TenantId tenant = scope.installing(request, body.tenantId());
        Optional<WebhookService.Subscription> webhook = Optional.ofNullable(body.webhook()).map(webhooks::check);
        InstallationResult result = installations.install(body.toRequest(), tenant);
        InstallationChangeView view = InstallationChangeView.of(result);
        if (webhook.isPresent()) {
            view = view.withWebhook(WebhookView.of(webhooks.set(result.installation().id(), webhook.get())));
        }
        return ApiResponse.json(201, json.write(view))
                .withHeader("Location", "/v1/installations/" + result.installation().id());
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        UUID id = id(path.get("installation_id"));
        Installation installation = request.reads().installation(id);
        InstallationView view = InstallationView.of(installation).withWebhook(webhooks.find(id).map(WebhookView::of).orElse(null))
                .withNotifications(notifications.find(id));
        if (installation.status() == InstallationStatus.UNINSTALLED) {
            // Its feed is closed: no URL, and no token made for it.
            return ApiResponse.json(200, json.write(view));
        }
        // Apps with the latest feature: the feed is made on first read, so its URL is always shown.
        view = feeds.link(id).map(link -> FeedView.of(link, request)).map(view::withFeed).orElse(view);
        return ApiResponse.json(200, json.write(view));
    }

    /**
     * With {@code app_id}, every installation of that App, oldest first; without, a page of all, newest first. A
     * tenant's key lists its own tenant's; the operator's every tenant's, or one tenant's with {@code tenant_id}.
     */
    ApiResponse list(ApiRequest request, Map<String, String> path) {
        Optional<String> app = request.queryParameter("app_id");
        Optional<TenantId> tenant = TenantScope.listed(request);
        if (app.isEmpty()) {
            // A cursor is bound to its tenant's listing: it cannot page on through another's.
            String listing = tenant.map(owner -> "installations of " + owner).orElse("installations");
            InstallationStore.Page page = page(tenant, limit(request), cursors.open(listing, request.queryParameter("cursor").orElse(null)));
            List<InstallationView> views = page.installations().stream().map(InstallationView::of).toList();
            String next = Cursors.unlessLast(page.nextCursor(), position -> !page(tenant, 1, position).installations().isEmpty());
            return ApiResponse.json(200, json.write(new InstallationPage(views, cursors.seal(listing, next))));
        }
        for (String paging : List.of("limit", "cursor")) {
            if (request.queryParameter(paging).isPresent()) {
                // Not paged: a limit here would be silently ignored.
                throw new SynclineException.Invalid("installations query", List.of(new SynclineException.Violation(paging,
                        paging + " pages the listing without app_id; with app_id every installation of the App comes in one answer:"
                                + " drop " + paging)));
            }
        }
        AppId appId = AppId.parse(app.get());
        List<InstallationView> views = installations.listByApp(appId).stream()
                .filter(installation -> tenant.isEmpty() || installation.belongsTo(tenant.get()))
                .map(InstallationView::of)
                .toList();
        return ApiResponse.json(200, json.write(new InstallationList(views)));
    }

    private InstallationStore.Page page(Optional<TenantId> tenant, int limit, String cursor) {
        return tenant.isPresent() ? installations.list(tenant.get(), limit, cursor) : installations.list(limit, cursor);
    }

    /**
     * A JSON merge patch of the name, dispatch settings and webhook: 200 with the changed installation. A webhook set
     * here gets a new signing secret, shown in this answer only; {@code "webhook": null} removes it.
     */
    ApiResponse update(ApiRequest request, Map<String, String> path) {
        UUID id = id(path.get("installation_id"));
        InstallationPatchBody body = bodies.read(request, InstallationPatchBody.class);
        // Unknown fields are ignored elsewhere; here one would be a change the caller believes made and is not.
        Map<?, ?> fields = bodies.read(request, Map.class);
        List<SynclineException.Violation> fixed = fields.keySet().stream()
                .map(String::valueOf)
                .filter(field -> !InstallationPatchBody.FIELDS.contains(field))
                .map(field -> new SynclineException.Violation(field, field + " cannot be changed; a PATCH changes only "
                        + String.join(", ", InstallationPatchBody.FIELDS)))
                .toList();
        if (!fixed.isEmpty()) {
            throw new SynclineException.Invalid("installation change", fixed);
        }
        boolean webhookChanged = fields.containsKey("webhook");
        // Checked before anything changes, so that a refused webhook leaves the other fields as they were too.
        Optional<WebhookService.Subscription> webhook = Optional.ofNullable(body.webhook()).map(webhooks::check);
        InstallationView view = InstallationView.of(installations.update(id, body.toChange()));
        if (!webhookChanged) {
            return ApiResponse.json(200, json.write(view.withWebhook(webhooks.find(id).map(WebhookView::of).orElse(null))));
        }
        if (webhook.isEmpty()) {
            webhooks.remove(id);
            return ApiResponse.json(200, json.write(view));
        }
        return ApiResponse.json(200, json.write(view.withWebhook(WebhookView.of(webhooks.set(id, webhook.get())))));
    }

    /**
     * 200 with the installation, now {@code uninstalled} and kept with its history; its active run is cancelled first
     * (the App hears {@code synchronization_ended} before {@code app_uninstalled}), its schedule and webhook are deleted,
     * and so is its feed's file (the feed URL answers 404 from now on, and its S3 URL with it).
     */
    ApiResponse uninstall(ApiRequest request, Map<String, String> path) {
        UUID id = id(path.get("installation_id"));
        InstallationResult result = control.uninstall(id);
        schedules.remove(id);
        webhooks.remove(id);
        feeds.close(id);
        return ApiResponse.json(200, json.write(InstallationChangeView.of(result)));
    }

    /** {@code limit} of a paged listing: 1 to {@value #MAX_PAGE}, {@value #DEFAULT_PAGE} when absent. */
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

    private static UUID id(String text) {
        return Ids.installation(text);
    }
}
