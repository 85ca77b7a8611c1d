package dev.syncline.api;

import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.metrics.RunUsageMeter;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.SynclineException;
import dev.syncline.core.installation.AppTokenRefusedException;
import dev.syncline.core.tenant.TenantService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API: authenticates, routes, calls the core, and turns every refusal into a problem answer. One
 * instance serves every request of a function instance.
 */
final class Api implements AutoCloseable {

    private static final String API_PREFIX = "/v1";
    /** The contract is public: a client generator or a reader needs no key to fetch it. */
    private static final String CONTRACT_PATH = "/v1/openapi.json";
    /**
     * Routes only the operator's key may use, as "METHOD template": changes to the App catalog (Apps are the
     * operator's catalog; tenants install from it and cannot publish) and tenant management. A tenant's key gets 403.
     */
    static final Set<String> OPERATOR_ONLY = Set.of(
            "PUT /v1/apps/{app_id}",
            "DELETE /v1/apps/{app_id}",
            "DELETE /v1/apps/{app_id}/versions/{version}",
            "GET /v1/metrics",
            "POST /v1/tenants",
            "GET /v1/tenants",
            "DELETE /v1/tenants/{tenant_id}");
    /**
     * The routes below a tenant that a tenant's key may use for its own tenant only (reading it, rotating its keys);
     * another tenant's id answers 404, as an unknown one.
     */
    private static final String OWN_TENANT = "/v1/tenants/{tenant_id}";

    private final Authenticator keys;
    private final Router router;
    private final JsonCodec json;
    private final RequestLog log;
    private final Services services;
    private final TenantScope scope;

    /** @param keys tells who sent each request: the operator, a tenant, or nobody the deployment knows (401) */
    Api(Authenticator keys, Services services) {
        this.keys = keys;
        this.json = services.json();
        this.log = new RequestLog();
        this.services = services;
        this.scope = new TenantScope(services.tenants());
        JsonBodies bodies = new JsonBodies(json);
        Cursors cursors = Cursors.of(services.config());
        AppsEndpoint apps = new AppsEndpoint(services.apps(), bodies, json, cursors);
        InstallationsEndpoint installs = new InstallationsEndpoint(services.installations(), bodies, json, services.feeds(), services.schedules(),
                cursors, services.webhooks(), services.runControl(), services.notifications(), scope);
        WebhookDeliveriesEndpoint webhookDeliveries = new WebhookDeliveriesEndpoint(services.webhooks(), json, cursors);
        SchedulesEndpoint schedules = new SchedulesEndpoint(services.schedules(), bodies, json);
        SnapshotsEndpoint snapshots = new SnapshotsEndpoint(services, json, cursors);
        SynchronizationsEndpoint runs = new SynchronizationsEndpoint(services, bodies, json, cursors);
        CostsEndpoint costs = new CostsEndpoint(services, json);
        FilesEndpoint runFiles = new FilesEndpoint(services);
        ConfigurationEndpoint configuration = new ConfigurationEndpoint(services.configuration(), bodies, json);
        AppTokensEndpoint appTokens = new AppTokensEndpoint(services.appCalls(), bodies, json);
        FeedsEndpoint feeds = new FeedsEndpoint(services.feeds(), services.files(), bodies, json);
        DashboardEndpoint dashboard = DashboardEndpoint.fromClasspath();
        MetricsEndpoint metrics = new MetricsEndpoint(services.metricsFile(), json);
        OpenApiEndpoint contract = new OpenApiEndpoint();
        TenantsEndpoint tenants = new TenantsEndpoint(services.tenantService(), bodies, json, cursors);
        this.router = new Router()
                .add("GET", "/", dashboard::page)
                .add("GET", "/assets/{version}/{file}", dashboard::asset)
                .add("GET", CONTRACT_PATH, contract::get)
                .add("PUT", "/v1/apps/{app_id}", apps::register)
                .add("GET", "/v1/apps/{app_id}", apps::get)
                .add("POST", "/v1/installations", installs::install)
                .add("GET", "/v1/installations", installs::list)
                .add("GET", "/v1/installations/{installation_id}", installs::get)
                .add("DELETE", "/v1/installations/{installation_id}", installs::uninstall)
                .add("POST", "/v1/installations/{installation_id}/snapshots", snapshots::create)
                .add("POST", "/v1/installations/{installation_id}/synchronizations", runs::trigger)
                .add("GET", "/v1/installations/{installation_id}/synchronizations", runs::history)
                .add("GET", "/v1/synchronizations/{synchronization_id}", runs::get)
                .add("GET", "/v1/synchronizations/{synchronization_id}/entries", runs::entries)
                .add("POST", "/v1/synchronizations/{synchronization_id}/cancel", runs::cancel)
                .add("POST", "/v1/synchronizations/{synchronization_id}/confirm", runs::confirm)
                .add("GET", "/v1/installations/{installation_id}/snapshots", snapshots::list)
                .add("GET", "/v1/installations/{installation_id}/snapshots/{snapshot_id}", snapshots::get)
                .add("DELETE", "/v1/installations/{installation_id}/snapshots/{snapshot_id}", snapshots::delete)
                .add("GET", "/v1/synchronizations/{synchronization_id}/file", runFiles::get)
                .add("GET", "/v1/installations/{installation_id}/feed", feeds::get)
                .add("POST", "/v1/installations/{installation_id}/feed-token", feeds::rotate)
                .add("PUT", "/v1/installations/{installation_id}/feed/basic-auth", feeds::protect)
                .add("DELETE", "/v1/installations/{installation_id}/feed/basic-auth", feeds::unprotect)
                .add("GET", "/v1/metrics", metrics::get)
                .add("GET", "/v1/installations/{installation_id}/configuration", configuration::get)
                .add("POST", "/v1/installations/{installation_id}/configuration", configuration::submit)
                .add("GET", "/v1/installations/{installation_id}/dictionaries/{name}", configuration::dictionary)
                .add("POST", "/v1/app-tokens/verify", appTokens::verify)
                .add("PUT", "/v1/installations/{installation_id}/schedule", schedules::put)
                .add("GET", "/v1/installations/{installation_id}/schedule", schedules::get)
                .add("DELETE", "/v1/installations/{installation_id}/schedule", schedules::delete)
                .add("PATCH", "/v1/installations/{installation_id}", installs::update)
                .add("GET", "/v1/installations/{installation_id}/webhook-deliveries", webhookDeliveries::list)
                .add("POST", "/v1/installations/{installation_id}/plans", runs::preview)
                .add("GET", "/v1/apps", apps::list)
                .add("DELETE", "/v1/apps/{app_id}", apps::retire)
                .add("GET", "/v1/apps/{app_id}/versions", apps::versions)
                .add("DELETE", "/v1/apps/{app_id}/versions/{version}", apps::retireVersion)
                .add("POST", "/v1/tenants", tenants::create)
                .add("GET", "/v1/tenants", tenants::list)
                .add("GET", OWN_TENANT, tenants::get)
                .add("DELETE", OWN_TENANT, tenants::disable)
                .add("POST", OWN_TENANT + "/api-keys", tenants::issueKey)
                .add("GET", OWN_TENANT + "/api-keys", tenants::keys)
                .add("DELETE", OWN_TENANT + "/api-keys/{key_id}", tenants::revokeKey)
                .add("GET", "/v1/installations/{installation_id}/costs", costs::get)
                // No API key: the token in the path is the credential (Api.handle authenticates /v1 only).
                .add("GET", "/feeds/{feed_token}", feeds::serve)
                .add("HEAD", "/feeds/{feed_token}", feeds::serve);
    }

    /**
     * Wires the API from configuration: SDK clients, adapters, services. Fails naming what is missing.
     */
    static Api create(Config config) {
        return create(Services.create(config, Clock.systemUTC()));
    }

    static Api create(Services services) {
        return new Api(ApiKeys.create(services.config().requireApiKeyHashes(), services.tenantKeys()::authenticate),
                services);
    }

    /** Records what a request used for the run it started (a trigger); other requests are nobody's run. */
    RunUsageMeter usageMeter() {
        return services.usageMeter();
    }

    /** Writes the metrics the requests of this invocation gathered (runs started, notifications the App refused). */
    void flushMetrics() {
        services.metrics().flush();
    }

    ApiResponse handle(ApiRequest request) {
        long started = System.nanoTime();
        // Fresh for each request: what one request read is never another's answer.
        request = request.withReads(new RequestReads(services.installations(), services.runs()));
        String route = "unmatched";
        Map<String, String> parameters = Map.of();
        ApiResponse response;
        try {
            // Routed before authenticating only so that a refused request is logged under its route.
            Router.Match match = router.route(request.method(), request.path());
            if (match instanceof Router.Match.Found found) {
                route = found.template();
                parameters = found.pathParameters();
            } else if (match instanceof Router.Match.MethodNotAllowed notAllowed) {
                route = notAllowed.template();
            }
            if ((request.path().equals(API_PREFIX) || request.path().startsWith(API_PREFIX + "/"))
                    && !request.path().equals(CONTRACT_PATH)) {
                request = request.withCaller(keys.authenticate(request.header("Authorization")));
            }
            ApiRequest authenticated = request;
            response = switch (match) {
                case Router.Match.Found found -> {
                    // Here, for every route: who may use it, and another tenant's installation or run answered as an
                    // unknown id.
                    authorize(authenticated, found);
                    scope.admit(authenticated, found.pathParameters());
                    yield found.endpoint().handle(authenticated, found.pathParameters());
                }
                case Router.Match.MethodNotAllowed notAllowed -> throw new ProblemException(
                        ProblemType.METHOD_NOT_ALLOWED,
                        notAllowed.template() + " does not support " + request.method() + "; it supports "
                                + String.join(", ", notAllowed.allowed()) + ".",
                        Map.of("Allow", String.join(", ", notAllowed.allowed())));
                case Router.Match.NotFound notFound -> throw new ProblemException(ProblemType.NOT_FOUND,
                        "No route matches " + request.method() + " " + request.path() + ". Routes: "
                                + String.join("; ", router.describe()) + ".");
            };
        } catch (ProblemException e) {
            response = problem(Problem.of(e.type(), e.getMessage(), request));
            for (Map.Entry<String, String> header : e.headers().entrySet()) {
                response = response.withHeader(header.getKey(), header.getValue());
            }
        } catch (SynclineException e) {
            response = problem(Problem.of(e, request));
        } catch (AppTokenRefusedException e) {
            response = problem(Problem.of(e, request));
        } catch (RuntimeException bug) {
            log.failed(request, route, parameters, millisSince(started), bug);
            return problem(Problem.internalError(request)).withHeader("X-Request-Id", request.requestId());
        }
        log.served(request, route, parameters, response, millisSince(started));
        return response.withHeader("X-Request-Id", request.requestId());
    }

    /**
     * The one place that says which caller may use which route: the operator any, a tenant's key all but {@link
     * #OPERATOR_ONLY}, and below {@link #OWN_TENANT} only its own. What a tenant sees within a route is the
     * route's business.
     */
    private static void authorize(ApiRequest request, Router.Match.Found found) {
        if (!(request.caller() instanceof Caller.Tenant tenant)) {
            return;
        }
        String route = request.method() + " " + found.template();
        if (OPERATOR_ONLY.contains(route)) {
            throw new ProblemException(ProblemType.FORBIDDEN, route + " needs the operator's API key: a tenant's key"
                    + " may read the App catalog and install from it, but only the operator changes the catalog,"
                    + " manages tenants and reads the deployment's metrics.");
        }
        String tenantId = found.pathParameters().get("tenant_id");
        if (found.template().startsWith(OWN_TENANT) && !tenant.id().value().equals(tenantId)) {
            throw TenantService.notFound(tenantId);
        }
    }

    /** Every route as "METHOD template", as the router knows them. */
    List<String> routes() {
        return router.describe();
    }

    private ApiResponse problem(Problem problem) {
        return new ApiResponse(problem.status(), Map.of("Content-Type", ApiResponse.PROBLEM_JSON), json.write(problem));
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** Releases the SDK's HTTP client: for tests, which build many; a function instance keeps its one. */
    @Override
    public void close() {
        services.close();
    }
}
