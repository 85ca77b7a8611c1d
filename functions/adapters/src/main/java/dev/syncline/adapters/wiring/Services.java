package dev.syncline.adapters.wiring;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.cron.CronUtilsScheduleCalendar;
import dev.syncline.adapters.dynamodb.DynamoDbScheduleStore;
import dev.syncline.adapters.http.HttpSnapshotFetcher;
import dev.syncline.adapters.scheduler.EventBridgeScheduleTriggers;
import dev.syncline.core.schedule.ScheduleService;
import dev.syncline.core.schedule.ScheduleTriggers;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import dev.syncline.adapters.crypto.AesGcmSecretVault;
import dev.syncline.adapters.disk.LocalDiskShardSpill;
import dev.syncline.adapters.dynamodb.DynamoDbActiveRuns;
import dev.syncline.adapters.dynamodb.DynamoDbAppStore;
import dev.syncline.adapters.dynamodb.DynamoDbChunkResults;
import dev.syncline.adapters.dynamodb.DynamoDbFeeds;
import dev.syncline.adapters.dynamodb.DynamoDbInstallationStore;
import dev.syncline.adapters.dynamodb.DynamoDbResourceCustoms;
import dev.syncline.adapters.dynamodb.DynamoDbRunDispatch;
import dev.syncline.adapters.dynamodb.DynamoDbRunPreviews;
import dev.syncline.adapters.dynamodb.DynamoDbNotifications;
import dev.syncline.adapters.dynamodb.DynamoDbRunFiles;
import dev.syncline.adapters.dynamodb.DynamoDbSnapshots;
import dev.syncline.adapters.dynamodb.DynamoDbRunStore;
import dev.syncline.adapters.dynamodb.DynamoDbTenantKeyStore;
import dev.syncline.adapters.dynamodb.DynamoDbTenantStore;
import dev.syncline.adapters.dynamodb.DynamoDbRunUsage;
import dev.syncline.adapters.metrics.RunUsageMeter;
import dev.syncline.core.cost.AwsPrices;
import dev.syncline.core.cost.CostEstimate;
import dev.syncline.core.cost.RunCosts;
import dev.syncline.adapters.dynamodb.DynamoDbWebhooks;
import dev.syncline.adapters.http.AppUrlGuard;
import dev.syncline.adapters.http.HttpAppClient;
import dev.syncline.adapters.http.HttpAppEndpoint;
import dev.syncline.adapters.http.HttpFileDownload;
import dev.syncline.adapters.http.HttpWebhookReceiver;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.JsonPrices;
import dev.syncline.adapters.json.JsonSchemaConfigurationSchemas;
import dev.syncline.adapters.json.RunView;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.adapters.jwt.JwtAppTokenVerifier;
import dev.syncline.adapters.kms.KmsSecretVault;
import dev.syncline.adapters.metrics.EmfMetrics;
import dev.syncline.adapters.metrics.MetricsFile;
import dev.syncline.adapters.metrics.SignalLog;
import dev.syncline.adapters.s3.S3BlobStore;
import dev.syncline.adapters.s3.S3ChunkStore;
import dev.syncline.adapters.s3.S3DeliveredState;
import dev.syncline.adapters.s3.S3FileStore;
import dev.syncline.adapters.s3.S3PlanWriter;
import dev.syncline.adapters.s3.S3SnapshotStore;
import dev.syncline.adapters.sqs.SqsChunkQueue;
import dev.syncline.adapters.sqs.SqsControlQueue;
import dev.syncline.adapters.sqs.SqsQueue;
import dev.syncline.adapters.sqs.SqsWebhookQueue;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.configuration.ConfigurationService;
import dev.syncline.core.configuration.PimDictionaries;
import dev.syncline.core.delivery.ChunkDeliverer;
import dev.syncline.core.delivery.Notifier;
import dev.syncline.core.file.FeedService;
import dev.syncline.core.file.FileService;
import dev.syncline.core.installation.AppCallAuthentication;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.plan.Planner;
import dev.syncline.core.tenant.TenantKeyAuthentication;
import dev.syncline.core.tenant.TenantService;
import dev.syncline.core.tenant.TenantStore;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.sync.ChunkDelivery;
import dev.syncline.core.sync.RunControl;
import dev.syncline.core.sync.RunPlanning;
import dev.syncline.core.sync.RunRecovery;
import dev.syncline.core.sync.SyncEngine;
import dev.syncline.core.telemetry.Telemetry;
import dev.syncline.core.webhook.WebhookService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds Syncline's object graph once per function instance, from its {@link Config}: SDK clients,
 * adapters, core services. Every function wires through here, so the api, planner, worker and
 * reconciler always agree on how a port is implemented.
 */
public final class Services implements AutoCloseable {

    /** Requests to one App from one chunk at a time; the run's window multiplies it. */
    static final int PARALLEL_REQUESTS_PER_CHUNK = 8;

    /** How long one function may fetch a run's file before another may start over: Lambda's longest timeout. */
    static final Duration FILE_FETCH_LEASE = Duration.ofMinutes(15);

    /**
     * How long one notice to an App may take, retries included: runs are cancelled, and installations installed and
     * uninstalled, by the api function, which API Gateway stops after 30 s.
     */
    static final Duration NOTICE_BUDGET = Duration.ofSeconds(20);

    /**
     * How long the worker trusts what it read of an installation or an App's manifest: a settings change or a new App
     * version reaches the chunks a warm instance delivers within this (a run's status is read afresh every chunk).
     */
    static final Duration WORKER_READS_KEPT_FOR = Duration.ofSeconds(5);

    /** The most installations, and Apps, one instance keeps what it read of. */
    static final int WORKER_READS_KEPT = 256;

    private final Config config;
    private final Clock clock;
    private final JsonCodec json;
    private final AwsClientFactory aws;
    private final DynamoDbRunStore runs;
    private final DynamoDbRunDispatch dispatch;
    private final DynamoDbRunPreviews previews;
    private final DynamoDbChunkResults results;
    private final S3ChunkStore chunks;
    private final S3PlanWriter plans;
    private final S3SnapshotStore snapshots;
    private final S3BlobStore blobs;
    private final SqsClient sqs;
    private final AppRegistry apps;
    private final InstallationService installations;
    private final AppCallAuthentication appCalls;
    private final SyncEngine engine;
    /** The engine whose reads of installations and Apps may be a moment old: the worker's. */
    private final SyncEngine workerEngine;
    private final S3FileStore files;
    private final DynamoDbRunFiles runFiles;
    private final DynamoDbSnapshots snapshotRecords;
    private final FeedService feeds;
    private final FileService fileService;
    private final DynamoDbNotifications notifications;
    private final EmfMetrics metrics;
    private final Optional<MetricsFile> metricsFile;
    private final ConfigurationService configuration;
    private final ScheduleService schedules;
    private final WebhookService webhooks;
    private final DynamoDbTenantStore tenantStore;
    private final TenantService tenantService;
    private final TenantKeyAuthentication tenantKeys;
    private final DynamoDbRunUsage runUsage;
    private final RunUsageMeter usageMeter;
    private final AwsPrices prices;

    private Services(Config config, Clock clock, List<ExecutionInterceptor> awsInterceptors) {
        this.config = config;
        this.clock = clock;
        this.json = JsonCodec.create();
        this.aws = AwsClientFactory.create(config, awsInterceptors);
        DynamoDbClient dynamoDb = aws.dynamoDb();
        S3Client s3 = aws.s3();
        this.sqs = aws.sqs();
        String table = config.table();
        this.metricsFile = config.metricsFile().map(MetricsFile::new);
        List<Consumer<String>> sinks = new ArrayList<>(List.of(EmfMetrics.standardOutput()));
        metricsFile.ifPresent(sinks::add);
        this.metrics = EmfMetrics.create(json, clock, config.metricsNamespace(), sinks);
        SignalLog log = new SignalLog();
        Telemetry telemetry = signal -> {
            log.report(signal);
            metrics.report(signal);
        };

        AppStore appStore = new DynamoDbAppStore(dynamoDb, table);
        SecretVault vault = switch (config.requireSecretKey()) {
            case Config.SecretKey.Kms kms -> KmsSecretVault.create(aws.kms(), kms.keyId());
            case Config.SecretKey.Local local -> AesGcmSecretVault.create(local.key());
        };
        AppUrlGuard guard = AppUrlGuard.create(config.allowPrivateAppUrls());
        JwtAppTokenSigner tokens = JwtAppTokenSigner.create();
        HttpAppClient appClient = HttpAppClient.create(guard, tokens, json,
                config.appCalls().connectTimeout(), config.appCalls().requestTimeout());
        DynamoDbInstallationStore installationStore = new DynamoDbInstallationStore(dynamoDb, table);
        HttpAppEndpoint appEndpoint = HttpAppEndpoint.create(guard, tokens, json, clock, config.appCalls().connectTimeout(),
                config.appCalls().requestTimeout());
        SecureRandom random = new SecureRandom();
        this.notifications = new DynamoDbNotifications(dynamoDb, table);
        Notifier notifier = new Notifier(appEndpoint, notifications, clock, Thread::sleep, random, config.appCalls().requestTimeout(),
                NOTICE_BUDGET);
        this.tenantStore = new DynamoDbTenantStore(dynamoDb, table);
        this.installations = new InstallationService(appStore, installationStore, appClient, vault, clock, telemetry, notifier, tenantStore);
        this.appCalls = new AppCallAuthentication(appStore, installationStore, vault, JwtAppTokenVerifier.create(json), clock);
        this.apps = new AppRegistry(appStore, installations, clock, guard);

        this.blobs = new S3BlobStore(s3, aws.s3Presigner(), config.bucket());
        this.runs = new DynamoDbRunStore(dynamoDb, table);
        this.runUsage = new DynamoDbRunUsage(dynamoDb, table);
        this.usageMeter = new RunUsageMeter(runUsage);
        this.prices = JsonPrices.read(config.prices());
        this.dispatch = new DynamoDbRunDispatch(dynamoDb, table);
        this.results = new DynamoDbChunkResults(dynamoDb, table, json);
        this.chunks = new S3ChunkStore(s3, config.bucket());
        this.plans = new S3PlanWriter(s3, config.bucket(), json);
        this.snapshots = new S3SnapshotStore(s3, config.bucket(), config.snapshots());
        this.configuration = new ConfigurationService(installations, installationStore, appStore, appClient,
                JsonSchemaConfigurationSchemas.create(json), new PimDictionaries(snapshots::latest, snapshots, clock),
                vault, clock);
        this.snapshotRecords = new DynamoDbSnapshots(dynamoDb, table);
        S3DeliveredState state = new S3DeliveredState(s3, config.bucket(), json, LocalDiskShardSpill.factory());
        Planner planner = new Planner(snapshots, state, LocalDiskShardSpill.factory(), plans);
        ChunkDeliverer deliverer = new ChunkDeliverer(appEndpoint, clock, Thread::sleep, new SecureRandom(), PARALLEL_REQUESTS_PER_CHUNK,
                config.appCalls().requestTimeout());
        this.files = new S3FileStore(s3, aws.s3Presigner(), config.bucket(), blobs);
        this.runFiles = new DynamoDbRunFiles(dynamoDb, table);
        SqsQueue controlQueue = new SqsQueue(sqs, config.controlQueueUrl());
        DynamoDbWebhooks webhookRecords = new DynamoDbWebhooks(dynamoDb, table);
        this.webhooks = new WebhookService(new WebhookService.Ports(
                webhookRecords,
                webhookRecords,
                new SqsWebhookQueue(controlQueue),
                HttpWebhookReceiver.create(guard, config.appCalls().connectTimeout(), config.appCalls().requestTimeout()),
                runId -> json.write(RunView.of(runs.find(runId).orElseThrow(() -> new RunNotFoundException(runId)), dispatch, runFiles,
                        notifications, clock.instant())),
                installations,
                vault,
                guard), clock, random, !config.allowPrivateAppUrls(), telemetry);
        DynamoDbTenantKeyStore tenantKeyStore = new DynamoDbTenantKeyStore(dynamoDb, table);
        this.tenantService = new TenantService(tenantStore, tenantKeyStore, clock, random);
        this.tenantKeys = new TenantKeyAuthentication(tenantKeyStore, tenantStore, clock, config.apiKeyCacheTime());
        this.feeds = new FeedService(new DynamoDbFeeds(dynamoDb, table), files, installations, apps, vault, clock, random);
        SqsControlQueue control = new SqsControlQueue(controlQueue);
        this.fileService = new FileService(new FileService.Ports(
                HttpFileDownload.create(guard, tokens, clock, config.appCalls().connectTimeout(), config.appCalls().requestTimeout()),
                files, runFiles, feeds, installations, apps, vault, runs, control), clock, Thread::sleep, random,
                new FileService.Limits(config.files().maxBytes(), config.files().fetchTimeout(), FILE_FETCH_LEASE), webhooks);
        DynamoDbActiveRuns activeRuns = new DynamoDbActiveRuns(dynamoDb, table, clock);
        this.previews = new DynamoDbRunPreviews(dynamoDb, table, json);
        SyncEngine.Ports ports = new SyncEngine.Ports(
                runs,
                dispatch,
                activeRuns,
                control,
                new SqsChunkQueue(new SqsQueue(sqs, config.workQueueUrl())),
                chunks,
                results,
                new DynamoDbResourceCustoms(dynamoDb, table, json),
                state,
                planner,
                deliverer,
                appEndpoint,
                installations,
                apps,
                vault,
                snapshots::exists,
                previews,
                // A preview is priced once, when planned, from the same figures as the runs' costs.
                (installationId, entries) -> runCosts().estimate(installationId, entries).stream().mapToDouble(CostEstimate::total).findFirst(),
                config.tenantMaxActiveRuns());
        this.engine = SyncEngine.create(ports, clock, fileService, telemetry, notifier, webhooks);
        // The worker reads the installation and the App's manifest for every chunk; what it read a moment ago will do.
        RecentAppStore recentApps = new RecentAppStore(appStore, new RecentReads<>(clock, WORKER_READS_KEPT_FOR, WORKER_READS_KEPT));
        InstallationService recentInstallations = new InstallationService(recentApps,
                new RecentInstallationStore(installationStore, new RecentReads<>(clock, WORKER_READS_KEPT_FOR, WORKER_READS_KEPT)),
                appClient, vault, clock, telemetry, notifier, tenantStore);
        this.workerEngine = SyncEngine.create(reading(ports, recentInstallations, new AppRegistry(recentApps, recentInstallations, clock, guard)),
                clock, fileService, telemetry, notifier, webhooks);
        ScheduleTriggers triggers;
        if (config.scheduling().isPresent()) {
            Config.Scheduling scheduling = config.scheduling().get();
            SchedulerClient scheduler = aws.scheduler(scheduling.endpoint());
            triggers = new EventBridgeScheduleTriggers(scheduler, scheduling.group(), scheduling.targetArn(), scheduling.roleArn(), json);
        } else {
            // The local stack's scheduler thread reads the stored schedules itself.
            triggers = ScheduleTriggers.STORED_ONLY;
        }
        this.schedules = new ScheduleService(new ScheduleService.Ports(
                new DynamoDbScheduleStore(dynamoDb, table),
                triggers,
                new CronUtilsScheduleCalendar(),
                HttpSnapshotFetcher.create(guard, snapshots, config.appCalls().connectTimeout(), HttpSnapshotFetcher.DEFAULT_TIMEOUT,
                        HttpSnapshotFetcher.DEFAULT_MAX_BYTES),
                snapshots::latest,
                activeRuns,
                engine.control(),
                installations,
                apps,
                vault,
                guard), clock, !config.allowPrivateAppUrls());
    }

    /** {@code ports} with installations and Apps read through {@code installations} and {@code apps}. */
    private static SyncEngine.Ports reading(SyncEngine.Ports ports, InstallationService installations, AppRegistry apps) {
        return new SyncEngine.Ports(ports.runs(), ports.dispatch(), ports.active(), ports.control(), ports.work(), ports.chunks(),
                ports.results(), ports.customs(), ports.state(), ports.planner(), ports.deliverer(), ports.app(), installations, apps,
                ports.vault(), ports.snapshots(), ports.previews(), ports.planCost(), ports.tenantMaxActiveRuns());
    }

    /** Wires from the process environment, as a function instance does at init. */
    public static Services fromEnvironment() {
        return create(Config.fromEnvironment(), Clock.systemUTC());
    }

    public static Services create(Config config, Clock clock) {
        return new Services(config, clock, List.of());
    }

    /** Wires with these interceptors in every SDK client as well: the fault suite's injected AWS faults. */
    public static Services create(Config config, Clock clock, List<ExecutionInterceptor> awsInterceptors) {
        return new Services(config, clock, awsInterceptors);
    }

    public Config config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public JsonCodec json() {
        return json;
    }

    /** The api's part of the engine: trigger, cancel, confirm, uninstall. */
    public RunControl runControl() {
        return engine.control();
    }

    /** The planner's part of the engine. */
    public RunPlanning runPlanning() {
        return engine.planning();
    }

    /** The worker's part of the engine. */
    public ChunkDelivery chunkDelivery() {
        return workerEngine.delivery();
    }

    /** The reconciler's part of the engine. */
    public RunRecovery runRecovery() {
        return engine.recovery();
    }

    /** Installations' configuration forms, steps and dictionaries. */
    public ConfigurationService configuration() {
        return configuration;
    }

    public AppRegistry apps() {
        return apps;
    }

    public InstallationService installations() {
        return installations;
    }

    /** Verifies the tokens Apps sign to call the PIM. */
    public AppCallAuthentication appCalls() {
        return appCalls;
    }

    public DynamoDbRunStore runs() {
        return runs;
    }

    /** The previews of runs asked for as previews. */
    public DynamoDbRunPreviews previews() {
        return previews;
    }

    /** Each run's recorded usage of AWS. */
    public DynamoDbRunUsage runUsage() {
        return runUsage;
    }

    /** Records what each invocation uses for its run. */
    public RunUsageMeter usageMeter() {
        return usageMeter;
    }

    /** What an installation's runs cost, per month, and what a number of entries would. */
    public RunCosts runCosts() {
        return new RunCosts(runs, dispatch, runUsage, prices, clock);
    }

    /** The AWS prices runs' costs are estimated at. */
    public AwsPrices prices() {
        return prices;
    }

    public DynamoDbRunDispatch dispatch() {
        return dispatch;
    }

    public DynamoDbChunkResults results() {
        return results;
    }

    public S3ChunkStore chunks() {
        return chunks;
    }

    public S3PlanWriter plans() {
        return plans;
    }

    public S3SnapshotStore snapshots() {
        return snapshots;
    }

    /** When each snapshot was made and which runs used it. */
    public DynamoDbSnapshots snapshotRecords() {
        return snapshotRecords;
    }

    public S3BlobStore blobs() {
        return blobs;
    }

    /** Generated files (per run) and feeds (stable keys) on the bucket. */
    public S3FileStore files() {
        return files;
    }

    public DynamoDbRunFiles runFiles() {
        return runFiles;
    }

    /** Fetches ended runs' files (the control queue's step) and re-sends lost fetch messages (the reconciler). */
    public FileService fileService() {
        return fileService;
    }

    /** What became of the notices sent to Apps, per run and installation. */
    public DynamoDbNotifications notifications() {
        return notifications;
    }

    public FeedService feeds() {
        return feeds;
    }

    /** The metrics of the current invocation: each function flushes them when it is done with an event. */
    public EmfMetrics metrics() {
        return metrics;
    }

    /** The local stack's copy of the metric lines, which {@code GET /v1/metrics} reads; empty on AWS. */
    public Optional<MetricsFile> metricsFile() {
        return metricsFile;
        }

    /** Installations' schedules: set and read by the api, fired by the scheduled-run event or the local scheduler. */
    public ScheduleService schedules() {
        return schedules;
    }

    /** The deployment's tenants. */
    public TenantStore tenants() {
        return tenantStore;
    }

    /** The operator's management of tenants and their API keys. */
    public TenantService tenantService() {
        return tenantService;
    }

    /** Tells the tenant of a presented API key, with the per-instance cache the api function keeps. */
    public TenantKeyAuthentication tenantKeys() {
        return tenantKeys;
    }

    /** Installations' webhooks: set by the api, told by the engine, attempted off the control queue by the planner. */
    public WebhookService webhooks() {
        return webhooks;
    }

    public SqsClient sqsClient() {
        return sqs;
    }

    /** How long a run may sit idle before the reconciler moves it: the work queue's visibility timeout. */
    public Duration stalledAfter() {
        return config.stalledAfter();
    }

    /** Releases the shared HTTP client of the SDK clients. */
    @Override
    public void close() {
        aws.close();
    }
}
