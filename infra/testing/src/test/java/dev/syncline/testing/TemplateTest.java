package dev.syncline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.testing.lambda.FunctionMemory;
import dev.syncline.testing.lambda.FunctionTimeouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code template.yaml} deploys what the code expects: every handler where its Makefile target builds it, every
 * variable Config reads, event sources that retry one message at a time within their queue's visibility, IAM
 * limited to the stack's own resources, fixtures that tests use. Each check is shown failing on a template
 * changed the way a careless edit would change it.
 */
class TemplateTest {

    static final Path REPOSITORY = Path.of("../..");
    static final String TEMPLATE_TEXT = DeploymentChecks.read(SamTemplate.FILE);
    static final String MAKEFILE = DeploymentChecks.read(REPOSITORY.resolve("Makefile"));
    static final String BUCKET = "Bucket";

    static final String API = "ApiFunction";
    static final String PLANNER = "PlannerFunction";
    static final String WORKER = "WorkerFunction";
    static final String RECONCILER = "ReconcilerFunction";
    static final Set<String> ALL = Set.of(API, PLANNER, WORKER, RECONCILER);

    /** Who reads each variable a deployment sets. */
    static final Map<String, Set<String>> READERS = Map.ofEntries(
            // Config.from requires them in every function.
            Map.entry("SYNCLINE_TABLE", ALL),
            Map.entry("SYNCLINE_CONTROL_QUEUE_URL", ALL),
            Map.entry("SYNCLINE_WORK_QUEUE_URL", ALL),
            Map.entry("SYNCLINE_BUCKET", ALL),
            // Every function's wiring requires the secret key; every function calls Apps.
            Map.entry("SYNCLINE_SECRETS_KMS_KEY_ID", ALL),
            Map.entry("SYNCLINE_ALLOW_PRIVATE_APP_URLS", ALL),
            // Only the api authenticates callers (Config.requireApiKeyHashes).
            Map.entry("SYNCLINE_API_KEY_HASHES", Set.of(API)),
            Map.entry("SYNCLINE_API_KEY_CACHE_SECONDS", Set.of(API)),
            // Only the reconciler decides what is stalled.
            Map.entry("SYNCLINE_STALLED_AFTER_SECONDS", Set.of(RECONCILER)),
            // Only the api creates and deletes installations' EventBridge Scheduler schedules.
            Map.entry("SYNCLINE_SCHEDULE_GROUP", Set.of(API)),
            Map.entry("SYNCLINE_SCHEDULE_TARGET_ARN", Set.of(API)),
            Map.entry("SYNCLINE_SCHEDULE_ROLE_ARN", Set.of(API)),
            // Every function logs (FunctionLogging) and emits metrics (EmfMetrics).
            Map.entry("SYNCLINE_LOG_LEVEL", ALL),
            Map.entry("SYNCLINE_METRICS_NAMESPACE", ALL),
            // Snapshots are read by the planner (planning), the api (triggers, configuration dictionaries) and the
            // reconciler (scheduled triggers); the worker delivers chunks and never opens one.
            Map.entry("SYNCLINE_SNAPSHOT_MAX_UPLOAD_BYTES", Set.of(API, PLANNER, RECONCILER)),
            Map.entry("SYNCLINE_SNAPSHOT_MAX_BYTES", Set.of(API, PLANNER, RECONCILER)),
            Map.entry("SYNCLINE_SNAPSHOT_MAX_LINES", Set.of(API, PLANNER, RECONCILER)),
            // Runs are triggered by the api and, on schedule, by the reconciler: both count a tenant's active runs.
            Map.entry("SYNCLINE_TENANT_MAX_ACTIVE_RUNS", Set.of(API, RECONCILER)));

    /** Variables Config declares that a deployment leaves unset, and why. */
    static final Map<String, String> UNSET = Map.ofEntries(
            Map.entry("SYNCLINE_DYNAMODB_ENDPOINT", "emulators only; on AWS the SDK uses the region's endpoint"),
            Map.entry("SYNCLINE_SQS_ENDPOINT", "emulators only; on AWS the SDK uses the region's endpoint"),
            Map.entry("SYNCLINE_S3_ENDPOINT", "emulators only; on AWS the SDK uses the region's endpoint"),
            Map.entry("SYNCLINE_SCHEDULER_ENDPOINT", "tests only; on AWS the SDK uses the region's endpoint"),
            Map.entry("SYNCLINE_SECRETS_LOCAL_KEY", "the local stand-in for KMS; Config refuses it next to the KMS key"),
            Map.entry("SYNCLINE_APP_CONNECT_TIMEOUT_MS", "Config's default (2 s) is the deployed value"),
            Map.entry("SYNCLINE_APP_REQUEST_TIMEOUT_MS", "Config's default (10 s) keeps App calls within API Gateway's 30 s"),
            Map.entry("SYNCLINE_METRICS_FILE", "the local stack's copy of the metric lines; on AWS they go to CloudWatch Logs only"),
            Map.entry("SYNCLINE_AWS_CALL_TIMEOUT_MS", "Config's default (30 s, retries included) is the deployed value"),
            Map.entry("SYNCLINE_AWS_ATTEMPT_TIMEOUT_MS", "Config's default (10 s) is the deployed value"),
            Map.entry("SYNCLINE_S3_CALL_TIMEOUT_MS", "Config's default (60 s, retries included) is the deployed value"),
            Map.entry("SYNCLINE_S3_ATTEMPT_TIMEOUT_MS", "Config's default (30 s for an 8 MiB part) is the deployed value"),
            Map.entry("SYNCLINE_FILE_MAX_BYTES", "Config's default (5 GiB) is the deployed value; set it on the planner to change it"),
            Map.entry("SYNCLINE_FILE_FETCH_TIMEOUT_SECONDS", "Config's default (840 s) fits the planner's 900 s timeout"),
            Map.entry("SYNCLINE_PRICES", "Config's default is the us-east-1 list prices; set it on the api for another region's"));

    /** Variables whose value is a number, not a reference; each has a test tying it to what it mirrors. */
    static final Set<String> LITERALS = Set.of("SYNCLINE_STALLED_AFTER_SECONDS", "SYNCLINE_METRICS_NAMESPACE");

    static final Set<String> DECLARED = ConfigVariables.declared();

    private static SamTemplate changed(String from, String to) {
        assertThat(TEMPLATE_TEXT).as("the template text to change").contains(from);
        return SamTemplate.parse(TEMPLATE_TEXT.replace(from, to));
    }

    /** Template lines, each indented by {@code indent} spaces. */
    private static String at(int indent, String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(" ".repeat(indent)).append(line).append('\n');
        }
        return text.toString();
    }

    private static List<String> environmentProblems(SamTemplate template) {
        return DeploymentChecks.environment(template, DECLARED, READERS, UNSET, LITERALS);
    }

    // ---- parsing and shape ----------------------------------------------------------------------------------

    @Test
    void template_parsesAsASamTemplateOfFourJava21FunctionsOnArm64() {
        SamTemplate template = SamTemplate.read();

        assertThat(template.root().path("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(template.functions()).containsExactly(API, PLANNER, WORKER, RECONCILER);
        for (String function : template.functions()) {
            assertThat(template.functionProperty(function, "Runtime").asText()).as(function).isEqualTo("java21");
            assertThat(template.functionProperty(function, "Architectures").toString()).as(function).isEqualTo("[\"arm64\"]");
            assertThat(template.functionProperty(function, "AutoPublishAlias").asText()).as(function).isEqualTo("live");
            assertThat(template.functionProperty(function, "AutoPublishAliasAllProperties").asBoolean()).as(function).isTrue();
        }
    }

    @Test
    void template_whenAValueIsBroken_doesNotParse() {
        assertThatThrownBy(() -> SamTemplate.parse(TEMPLATE_TEXT.replace("      Handler: dev.syncline.worker", "      Handler: [dev.syncline.worker")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Cannot parse the template");
    }

    // ---- handlers and the Makefile ---------------------------------------------------------------------------

    @Test
    void everyFunction_isBuiltFromTheModuleThatHoldsItsHandler() {
        assertThat(DeploymentChecks.handlers(SamTemplate.read(), MAKEFILE, REPOSITORY)).isEmpty();
    }

    @Test
    void handlers_whenAFunctionNamesAClassOfAnotherModule_isReported() {
        SamTemplate template = changed("Handler: dev.syncline.worker.DeliverChunkHandler::handleRequest",
                "Handler: dev.syncline.planner.PlanSynchronizationHandler::handleRequest");

        assertThat(DeploymentChecks.handlers(template, MAKEFILE, REPOSITORY)).containsExactly(
                "WorkerFunction's handler class dev.syncline.planner.PlanSynchronizationHandler is not in functions/worker"
                        + " (no functions/worker/src/main/java/dev/syncline/planner/PlanSynchronizationHandler.java).");
    }

    @Test
    void handlers_whenTheMakefileLosesATarget_isReported() {
        String makefile = MAKEFILE.replace("build-ReconcilerFunction:", "build-Reconciler:");

        assertThat(DeploymentChecks.handlers(SamTemplate.read(), makefile, REPOSITORY)).containsExactly(
                "The Makefile has no target build-ReconcilerFunction installing $(MODULE_ReconcilerFunction)/target/function.jar,"
                        + " which sam build runs for it.");
    }

    @Test
    void handlers_whenAMethodIsMisnamed_isReported() {
        SamTemplate template = changed("dev.syncline.api.HandleApiRequestHandler::handleRequest",
                "dev.syncline.api.HandleApiRequestHandler::handle");

        assertThat(DeploymentChecks.handlers(template, MAKEFILE, REPOSITORY)).containsExactly(
                "ApiFunction's handler method handle is not declared by dev.syncline.api.HandleApiRequestHandler.");
    }

    @Test
    void prebuiltTemplate_pointsEachFunctionAtTheJarOfItsModule(@TempDir Path directory) throws Exception {
        assumeTrue(onPath("make") && onPath("awk"), "make and awk are needed to run the Makefile");
        Path output = directory.resolve("template.yaml");

        Process make = new ProcessBuilder("make", "-s", "prebuilt-template", "PREBUILT=" + output, "PREBUILT_ROOT=/repo")
                .directory(REPOSITORY.toFile()).redirectErrorStream(true).start();
        String log = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(make.exitValue()).as(log).isZero();

        SamTemplate prebuilt = SamTemplate.parse(Files.readString(output));
        assertThat(prebuilt.functions().stream().collect(Collectors.toMap(f -> f, f -> prebuilt.functionProperty(f, "CodeUri").asText())))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        API, "/repo/functions/api/target/function.jar",
                        PLANNER, "/repo/functions/planner/target/function.jar",
                        WORKER, "/repo/functions/worker/target/function.jar",
                        RECONCILER, "/repo/functions/reconciler/target/function.jar"));
        // Everything else is the template as it is.
        ObjectNode expected = SamTemplate.read().root().deepCopy();
        ObjectNode actual = prebuilt.root().deepCopy();
        for (String function : prebuilt.functions()) {
            ((ObjectNode) expected.path("Resources").path(function).path("Properties")).remove("CodeUri");
            ((ObjectNode) actual.path("Resources").path(function).path("Properties")).remove("CodeUri");
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    // ---- environment -----------------------------------------------------------------------------------------

    @Test
    void environment_setsEveryVariableConfigReads_forTheFunctionsThatReadIt() {
        assertThat(DECLARED).as("Config's variables, found by reflection").contains("SYNCLINE_TABLE", "SYNCLINE_API_KEY_HASHES");
        assertThat(environmentProblems(SamTemplate.read())).isEmpty();
    }

    @Test
    void environment_whenAVariableIsDropped_isReportedForEachFunction() {
        SamTemplate template = changed("        SYNCLINE_BUCKET: !Ref Bucket\n", "");

        assertThat(environmentProblems(template)).containsExactlyInAnyOrder(
                "SYNCLINE_BUCKET is not set for ApiFunction, which reads it.",
                "SYNCLINE_BUCKET is not set for PlannerFunction, which reads it.",
                "SYNCLINE_BUCKET is not set for WorkerFunction, which reads it.",
                "SYNCLINE_BUCKET is not set for ReconcilerFunction, which reads it.");
    }

    @Test
    void environment_whenConfigDeclaresANewVariable_asksForADecision() {
        Set<String> declared = new HashSet<>(DECLARED);
        declared.add("SYNCLINE_NEW_SETTING");

        assertThat(DeploymentChecks.environment(SamTemplate.read(), declared, READERS, UNSET, LITERALS)).containsExactly(
                "Config declares SYNCLINE_NEW_SETTING: set it in template.yaml for the functions that read it and list"
                        + " them in TemplateTest.READERS, or list it in TemplateTest.UNSET with the reason.");
    }

    @Test
    void environment_whenConfigDropsAVariableTheTemplateStillSets_isReported() {
        Set<String> declared = new HashSet<>(DECLARED);
        declared.remove("SYNCLINE_STALLED_AFTER_SECONDS");

        assertThat(DeploymentChecks.environment(SamTemplate.read(), declared, READERS, UNSET, LITERALS)).containsExactly(
                "TemplateTest.READERS lists SYNCLINE_STALLED_AFTER_SECONDS, which Config does not declare.",
                "ReconcilerFunction sets SYNCLINE_STALLED_AFTER_SECONDS, which Config does not declare: nothing reads it.");
    }

    @Test
    void environment_whenTheTemplateSetsAVariableConfigDoesNotDeclare_isReported() {
        SamTemplate template = changed("        SYNCLINE_BUCKET: !Ref Bucket\n",
                "        SYNCLINE_BUCKET: !Ref Bucket\n        SYNCLINE_BUCKETS: !Ref Bucket\n");

        assertThat(environmentProblems(template)).containsExactlyInAnyOrder(
                "ApiFunction sets SYNCLINE_BUCKETS, which Config does not declare: nothing reads it.",
                "PlannerFunction sets SYNCLINE_BUCKETS, which Config does not declare: nothing reads it.",
                "WorkerFunction sets SYNCLINE_BUCKETS, which Config does not declare: nothing reads it.",
                "ReconcilerFunction sets SYNCLINE_BUCKETS, which Config does not declare: nothing reads it.");
    }

    @Test
    void environment_whenAValueIsALiteralResourceName_isReported() {
        SamTemplate template = changed("SYNCLINE_TABLE: !Ref Table", "SYNCLINE_TABLE: syncline-prod-Table");

        assertThat(environmentProblems(template)).hasSize(4).allSatisfy(problem -> assertThat(problem)
                .endsWith("sets SYNCLINE_TABLE to 'syncline-prod-Table', which is not a !Ref or !GetAtt of this stack's"
                        + " parameters or resources."));
    }

    @Test
    void environment_whenTheApiKeyDigestsReachEveryFunction_isReported() {
        SamTemplate template = changed("        SYNCLINE_BUCKET: !Ref Bucket\n",
                "        SYNCLINE_BUCKET: !Ref Bucket\n        SYNCLINE_API_KEY_HASHES: !Ref ApiKeyHashes\n");

        assertThat(environmentProblems(template)).containsExactlyInAnyOrder(
                "SYNCLINE_API_KEY_HASHES is set for PlannerFunction, which does not read it.",
                "SYNCLINE_API_KEY_HASHES is set for WorkerFunction, which does not read it.",
                "SYNCLINE_API_KEY_HASHES is set for ReconcilerFunction, which does not read it.");
    }

    @Test
    void environment_whenAnEmulatorEndpointIsDeployed_isReported() {
        SamTemplate template = changed("          SYNCLINE_STALLED_AFTER_SECONDS: '720'\n",
                "          SYNCLINE_STALLED_AFTER_SECONDS: '720'\n          SYNCLINE_S3_ENDPOINT: http://localhost:9000\n"
                        + "          AWS_REGION: eu-central-1\n");

        assertThat(environmentProblems(template)).containsExactlyInAnyOrder(
                "SYNCLINE_S3_ENDPOINT is set for ReconcilerFunction, but a deployment leaves it unset: emulators only;"
                        + " on AWS the SDK uses the region's endpoint",
                "ReconcilerFunction sets AWS_REGION, which Lambda reserves and sets itself.");
    }

    @Test
    void stalledAfter_isTheWorkQueuesVisibilityTimeout() {
        SamTemplate template = SamTemplate.read();

        assertThat(template.environment(RECONCILER).get("SYNCLINE_STALLED_AFTER_SECONDS"))
                .isEqualTo(template.resource("WorkQueue").path("Properties").path("VisibilityTimeout").asText());
    }

    // ---- event sources ---------------------------------------------------------------------------------------

    @Test
    void sqsEventSources_retryOneMessageAtATime_withinTheirQueuesVisibility() {
        SamTemplate template = SamTemplate.read();

        assertThat(DeploymentChecks.sqsEventSources(template)).isEmpty();
        assertThat(template.events(PLANNER).get("Control").path("Properties").path("Queue").asText()).isEqualTo("ControlQueue.Arn");
        assertThat(template.events(WORKER).get("Work").path("Properties").path("Queue").asText()).isEqualTo("WorkQueue.Arn");
        assertThat(template.functionProperty(PLANNER, "Timeout").asInt()).isEqualTo(900);
        assertThat(template.functionProperty(WORKER, "Timeout").asInt()).isEqualTo(120);
    }

    @Test
    void functionTimeouts_theLocalStackAndTestsEnforce_areTheTemplates() {
        SamTemplate template = SamTemplate.read();

        assertThat(template.functionProperty(API, "Timeout").asLong()).isEqualTo(FunctionTimeouts.API.toSeconds());
        assertThat(template.functionProperty(PLANNER, "Timeout").asLong()).isEqualTo(FunctionTimeouts.PLANNER.toSeconds());
        assertThat(template.functionProperty(WORKER, "Timeout").asLong()).isEqualTo(FunctionTimeouts.WORKER.toSeconds());
        assertThat(template.functionProperty(RECONCILER, "Timeout").asLong()).isEqualTo(FunctionTimeouts.RECONCILER.toSeconds());
    }

    @Test
    void functionMemory_theLocalStackAndTestsRecordRunsAt_isTheTemplates() {
        SamTemplate template = SamTemplate.read();

        assertThat(template.functionProperty(API, "MemorySize").asInt()).isEqualTo(FunctionMemory.API);
        assertThat(template.functionProperty(PLANNER, "MemorySize").asInt()).isEqualTo(FunctionMemory.PLANNER);
        assertThat(template.functionProperty(WORKER, "MemorySize").asInt()).isEqualTo(FunctionMemory.WORKER);
        assertThat(template.functionProperty(RECONCILER, "MemorySize").asInt()).isEqualTo(FunctionMemory.RECONCILER);
    }

    @Test
    void sqsEventSources_whenTheWorkerMayRunLongerThanASixthOfTheVisibility_isReported() {
        SamTemplate template = changed("      Timeout: 120\n", "      Timeout: 121\n");

        assertThat(DeploymentChecks.sqsEventSources(template)).containsExactly(
                "WorkerFunction event Work: WorkQueue's VisibilityTimeout 720 s is less than 6 x WorkerFunction's Timeout"
                        + " 121 s = 726 s.");
    }

    @Test
    void sqsEventSources_withoutPartialBatchResponsesOrAConcurrencyCap_isReported() {
        SamTemplate template = changed(at(12, "BatchSize: 1", "FunctionResponseTypes:", "  - ReportBatchItemFailures",
                "ScalingConfig:", "  MaximumConcurrency: !Ref PlannerMaximumConcurrency"), at(12, "BatchSize: 10"));

        assertThat(DeploymentChecks.sqsEventSources(template)).containsExactly(
                "PlannerFunction event Control has BatchSize 10; one message per invocation keeps a retry to that message.",
                "PlannerFunction event Control does not declare FunctionResponseTypes ReportBatchItemFailures: the"
                        + " handler's failed messages would count as processed.",
                "PlannerFunction event Control has no ScalingConfig MaximumConcurrency: nothing bounds its concurrency.");
    }

    @Test
    void httpApi_routesV1TheDashboardAndFeedsToTheApiFunction_withPayloadFormat2() {
        SamTemplate template = SamTemplate.read();

        Map<String, String> routes = new LinkedHashMap<>();
        template.events(API).values().forEach(event -> {
            assertThat(event.path("Type").asText()).isEqualTo("HttpApi");
            assertThat(event.path("Properties").path("ApiId").asText()).isEqualTo("HttpApi");
            assertThat(event.path("Properties").path("PayloadFormatVersion").asText()).isEqualTo("2.0");
            routes.put(event.path("Properties").path("Path").asText(), event.path("Properties").path("Method").asText());
        });
        assertThat(routes).containsExactlyInAnyOrderEntriesOf(
                Map.of("/v1/{proxy+}", "ANY", "/", "GET", "/{proxy+}", "GET", "/feeds/{token}", "ANY"));
    }

    @Test
    void httpApi_accessLog_namesTheRouteNeverThePathThatHoldsAFeedToken() throws Exception {
        JsonNode settings = SamTemplate.read().resource("HttpApi").path("Properties").path("AccessLogSettings");

        JsonNode format = new ObjectMapper().readTree(settings.path("Format").asText());
        assertThat(format.path("route").asText()).isEqualTo("$context.routeKey");
        assertThat(settings.path("Format").asText()).doesNotContain("$context.path", "$context.resourcePath");
    }

    @Test
    void reconciler_runsEveryMinute_withoutRetries() {
        SamTemplate template = SamTemplate.read();

        assertThat(template.events(RECONCILER).values()).singleElement().satisfies(event -> {
            assertThat(event.path("Type").asText()).isEqualTo("Schedule");
            assertThat(event.path("Properties").path("Schedule").asText()).isEqualTo("rate(1 minute)");
        });
        assertThat(template.functionProperty(RECONCILER, "EventInvokeConfig").path("MaximumRetryAttempts").asInt(-1)).isZero();
    }

    // ---- IAM ---------------------------------------------------------------------------------------------------

    @Test
    void schedules_areManagedByTheApiInItsOwnGroup_andFiredByARoleThatOnlyInvokesTheReconciler() {
        SamTemplate template = SamTemplate.read();

        assertThat(template.resource("ScheduleGroup").path("Type").asText()).isEqualTo("AWS::Scheduler::ScheduleGroup");
        JsonNode schedules = statement(template, API, "Schedules");
        assertThat(SamTemplate.oneOrMany(schedules.path("Action"))).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule");
        assertThat(schedules.path("Resource").asText())
                .isEqualTo("arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/${ScheduleGroup}/*");
        JsonNode pass = statement(template, API, "PassSchedulerRole");
        assertThat(pass.path("Action").asText()).isEqualTo("iam:PassRole");
        assertThat(pass.path("Resource").asText()).isEqualTo("SchedulerRole.Arn");
        assertThat(pass.path("Condition").path("StringEquals").path("iam:PassedToService").asText()).isEqualTo("scheduler.amazonaws.com");
        for (String function : List.of(PLANNER, WORKER, RECONCILER)) {
            assertThat(template.policyStatements(function)).as(function).noneSatisfy(statement -> assertThat(
                    SamTemplate.oneOrMany(statement.path("Action"))).anySatisfy(a -> assertThat(a.asText()).startsWith("scheduler:")));
        }

        JsonNode role = template.resource("SchedulerRole").path("Properties");
        JsonNode trust = role.path("AssumeRolePolicyDocument").path("Statement").get(0);
        assertThat(trust.path("Principal").path("Service").asText()).isEqualTo("scheduler.amazonaws.com");
        assertThat(trust.path("Condition").path("StringEquals").path("aws:SourceAccount").asText()).isEqualTo("AWS::AccountId");
        List<JsonNode> granted = new java.util.ArrayList<>();
        role.path("Policies").forEach(policy -> policy.path("PolicyDocument").path("Statement").forEach(granted::add));
        assertThat(granted).singleElement().satisfies(statement -> {
            assertThat(statement.path("Action").asText()).isEqualTo("lambda:InvokeFunction");
            assertThat(statement.path("Resource").asText()).isEqualTo("ReconcilerFunction.Alias");
        });
        assertThat(template.environment(API)).containsEntry("SYNCLINE_SCHEDULE_TARGET_ARN", "ReconcilerFunction.Alias");
    }

    @Test
    void iam_whenSchedulesOfAnotherGroupAreGranted_isReported() {
        SamTemplate template = changed(":schedule/${ScheduleGroup}/*'", ":schedule/*'");

        assertThat(DeploymentChecks.iam(template, BUCKET)).containsExactly("ApiFunction statement Schedules allows"
                + " \"arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/*\": not a reference to this stack's"
                + " resources (a literal ARN or a wildcard).");
    }

    private static JsonNode statement(SamTemplate template, String function, String sid) {
        return template.policyStatements(function).stream().filter(s -> sid.equals(s.path("Sid").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(function + " has no statement " + sid));
    }

    @Test
    void iam_allowsNamedActionsOnTheStacksOwnResourcesOnly() {
        assertThat(DeploymentChecks.iam(SamTemplate.read(), BUCKET)).isEmpty();
    }

    @Test
    void iam_whenAStatementUsesAWildcardOrALiteralArn_isReported() {
        SamTemplate template = changed(at(14, "Resource:", "  - !GetAtt ControlQueue.Arn", "  - !GetAtt WorkQueue.Arn"),
                at(14, "Resource:", "  - arn:aws:sqs:eu-central-1:111122223333:syncline-control", "  - '*'",
                        "  - !Sub '${Table.Arn}/index/*'", "  - !Sub '${Bucket.Arn}/*'"));

        assertThat(DeploymentChecks.iam(template, BUCKET)).containsExactly(
                "ReconcilerFunction statement SendToQueues allows \"arn:aws:sqs:eu-central-1:111122223333:syncline-control\":"
                        + " not a reference to this stack's resources (a literal ARN or a wildcard).",
                "ReconcilerFunction statement SendToQueues allows \"*\": not a reference to this stack's resources (a literal"
                        + " ARN or a wildcard).",
                "ReconcilerFunction statement SendToQueues allows \"${Table.Arn}/index/*\": only a named index of a table or a"
                        + " prefix of the bucket may follow an ARN, without wildcards.",
                "ReconcilerFunction statement SendToQueues allows \"${Bucket.Arn}/*\": objects of the bucket are granted per"
                        + " prefix, as /<prefix>/*.");
    }

    @Test
    void iam_whenAnActionIsAWildcardOrAPolicyTemplateIsUsed_isReported() {
        SamTemplate template = changed(at(12, "- Sid: ReadSnapshots", "  Effect: Allow", "  Action: s3:GetObject"),
                at(12, "- Sid: ReadSnapshots", "  Effect: Allow", "  Action: s3:*"));
        ((com.fasterxml.jackson.databind.node.ArrayNode) template.resource(PLANNER).path("Properties").path("Policies"))
                .addObject().putObject("DynamoDBCrudPolicy").put("TableName", "Table");

        assertThat(DeploymentChecks.iam(template, BUCKET)).containsExactly(
                "PlannerFunction uses the policy {\"DynamoDBCrudPolicy\":{\"TableName\":\"Table\"}}, which is not an inline"
                        + " policy document.",
                "PlannerFunction statement ReadSnapshots allows the wildcard action s3:*; name the actions.");
    }

    @Test
    void iam_grantsEachFunctionOnlyTheQueuesItSendsTo() {
        SamTemplate template = SamTemplate.read();

        assertThat(sendTargets(template, API)).containsExactly("ControlQueue.Arn");
        // The planner and the worker queue webhook attempts on the control queue (a run held, started or ended).
        assertThat(sendTargets(template, PLANNER)).containsExactlyInAnyOrder("WorkQueue.Arn", "ControlQueue.Arn");
        assertThat(sendTargets(template, WORKER)).containsExactlyInAnyOrder("WorkQueue.Arn", "ControlQueue.Arn");
        assertThat(sendTargets(template, RECONCILER)).containsExactlyInAnyOrder("ControlQueue.Arn", "WorkQueue.Arn");
        assertThat(kmsActions(template, API)).containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
        for (String function : List.of(PLANNER, WORKER, RECONCILER)) {
            assertThat(kmsActions(template, function)).as(function).containsExactly("kms:Decrypt");
        }
    }

    private static List<String> sendTargets(SamTemplate template, String function) {
        return template.policyStatements(function).stream()
                .filter(statement -> SamTemplate.oneOrMany(statement.path("Action")).stream().anyMatch(a -> a.asText().startsWith("sqs:")))
                .flatMap(statement -> SamTemplate.oneOrMany(statement.path("Resource")).stream())
                .map(JsonNode::asText)
                .toList();
    }

    private static List<String> kmsActions(SamTemplate template, String function) {
        return template.policyStatements(function).stream()
                .flatMap(statement -> SamTemplate.oneOrMany(statement.path("Action")).stream())
                .map(JsonNode::asText)
                .filter(action -> action.startsWith("kms:"))
                .toList();
    }

    // ---- fixtures ------------------------------------------------------------------------------------------------

    @Test
    void everyFileUnderEvents_isUsedByATest() throws IOException {
        Set<String> fixtures = fixtures();

        assertThat(fixtures).contains("events/planner/control-message.json", "events/worker/chunk-message.json",
                "events/reconciler/scheduled.json");
        assertThat(DeploymentChecks.unusedFixtures(fixtures, testSources())).isEmpty();
    }

    @Test
    void fixtures_whenNoTestUsesOne_isReported() throws IOException {
        Set<String> fixtures = new HashSet<>(fixtures());
        fixtures.add("events/worker/forgotten.json");

        assertThat(DeploymentChecks.unusedFixtures(fixtures, testSources())).containsExactly(
                "events/worker/forgotten.json is used by no test: drive a handler with it, or delete it.");
    }

    private static Set<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.walk(REPOSITORY.resolve("events"))) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().equals("README.md"))
                    .map(file -> REPOSITORY.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toSet());
        }
    }

    /** Every Java test source of the repository, by path, except this one, which names fixtures to check them. */
    private static Map<Path, String> testSources() throws IOException {
        Map<Path, String> sources = new LinkedHashMap<>();
        for (String parent : List.of("functions", "infra")) {
            try (Stream<Path> files = Files.walk(REPOSITORY.resolve(parent))) {
                files.filter(file -> file.toString().endsWith(".java"))
                        .filter(file -> file.toString().replace('\\', '/').contains("/src/test/java/"))
                        .filter(file -> !file.toString().contains("node_modules"))
                        .filter(file -> !file.getFileName().toString().equals(TemplateTest.class.getSimpleName() + ".java"))
                        .forEach(file -> sources.put(file, DeploymentChecks.read(file)));
            }
        }
        return sources;
    }

    // ---- bucket, SnapStart, alarms --------------------------------------------------------------------------------

    @Test
    void lifecycle_expiresRunDataButNeverDeliveredStateOrFeeds() {
        SamTemplate template = SamTemplate.read();

        assertThat(DeploymentChecks.lifecycle(template, BUCKET)).isEmpty();
        Map<String, String> expirations = new LinkedHashMap<>();
        for (JsonNode rule : template.resource(BUCKET).path("Properties").path("LifecycleConfiguration").path("Rules")) {
            expirations.put(rule.path("Prefix").asText(""), rule.path("ExpirationInDays").asText(
                    "abort uploads after " + rule.path("AbortIncompleteMultipartUpload").path("DaysAfterInitiation").asText()));
        }
        assertThat(expirations).containsExactlyInAnyOrderEntriesOf(Map.of(
                "snapshots/", "7", "plans/", "30", "files/", "FileRetentionDays", "state/", "30", "", "abort uploads after 1"));
    }

    @Test
    void bucketPolicy_publishesOnlyFeedsUnderTheirRandomSegment_andOnlyWhenPublishFeedsIsTrue() {
        JsonNode statements = SamTemplate.read().resource("BucketPolicy").path("Properties").path("PolicyDocument").path("Statement");
        List<JsonNode> conditional = new java.util.ArrayList<>();
        statements.forEach(statement -> {
            if (statement.isArray()) {
                conditional.add(statement);
            }
        });

        assertThat(conditional).singleElement().satisfies(publish -> {
            assertThat(publish.get(0).asText()).isEqualTo("PublishesFeeds");
            assertThat(publish.get(2).asText()).isEqualTo("AWS::NoValue");
            JsonNode grant = publish.get(1);
            assertThat(grant.path("Principal").asText()).isEqualTo("*");
            assertThat(grant.path("Action").asText()).isEqualTo("s3:GetObject");
            Pattern readable = s3Wildcard(grant.path("Resource").asText().replace("${Bucket.Arn}/", ""));
            String installation = "3f2b6c1e-0d4a-4e8b-9c7d-5a6b7c8d9e0f";
            assertThat(readable.matcher("feeds/" + installation + "/" + "9a".repeat(32) + "/latest.csv").matches()).isTrue();
            assertThat(List.of("feeds/" + installation + "/latest.csv", "files/" + installation + "/run/export.csv",
                    "snapshots/" + installation + "/s.jsonl.gz", "state/" + installation + "/base"))
                    .as("behind basic credentials, from before segments, or no feed at all")
                    .noneSatisfy(key -> assertThat(readable.matcher(key).matches()).isTrue());
        });
    }

    @Test
    void iam_letsTheApiMoveAndDeleteFeedFiles_forRotationProtectionAndUninstall() {
        JsonNode move = statement(SamTemplate.read(), API, "MoveFeedKeys");

        assertThat(SamTemplate.oneOrMany(move.path("Action"))).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("s3:PutObject", "s3:DeleteObject");
        assertThat(move.path("Resource").asText()).isEqualTo("${Bucket.Arn}/feeds/*");
    }

    /** An IAM resource pattern as a regular expression: {@code *} is any run of characters, slashes included. */
    private static Pattern s3Wildcard(String pattern) {
        return Pattern.compile(java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*")));
    }

    @Test
    void lifecycle_whenARuleWouldExpireDeliveredStateOrFeeds_isReported() {
        SamTemplate template = changed("            Prefix: plans/\n", "            Prefix: ''\n");

        assertThat(DeploymentChecks.lifecycle(template, BUCKET)).containsExactly(
                "Lifecycle rule expire-plans (prefix '') expires state/, which must outlive runs.",
                "Lifecycle rule expire-plans (prefix '') expires feeds/, which must outlive runs.");
    }

    @Test
    void snapStart_isOnWhereverTmpFitsIt() {
        SamTemplate template = SamTemplate.read();

        assertThat(DeploymentChecks.snapStart(template)).isEmpty();
        for (String function : List.of(API, WORKER, RECONCILER)) {
            assertThat(template.functionProperty(function, "SnapStart").path("ApplyOn").asText()).as(function)
                    .isEqualTo("PublishedVersions");
        }
    }

    @Test
    void snapStart_whenTheBigTmpPlannerUsesIt_isReported() {
        SamTemplate template = changed("      SnapStart:\n        ApplyOn: None\n", "");

        assertThat(DeploymentChecks.snapStart(template)).containsExactly(
                "PlannerFunction has 10240 MB of ephemeral storage and SnapStart PublishedVersions; SnapStart supports at"
                        + " most 512 MB.");
    }

    @Test
    void alarms_watchDeadLetterQueuesErrorsFailedRunsFailureRatesLongRunsAndResends_andNotifyTheOptionalTopic() {
        SamTemplate template = SamTemplate.read();

        assertThat(DeploymentChecks.alarmActions(template)).isEmpty();
        Map<String, String> watched = new LinkedHashMap<>();
        for (String alarm : template.idsOfType("AWS::CloudWatch::Alarm")) {
            JsonNode properties = template.resource(alarm).path("Properties");
            watched.put(alarm, properties.has("MetricName")
                    ? properties.path("Namespace").asText() + " " + properties.path("MetricName").asText() + " "
                            + properties.path("Dimensions").path(0).path("Value").asText()
                    : properties.path("Metrics").path(0).path("Expression").asText());
        }
        String stack = "Syncline/${AWS::StackName}";
        assertThat(watched).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("ControlDeadLetterQueueAlarm", "AWS/SQS ApproximateNumberOfMessagesVisible ControlDeadLetterQueue.QueueName"),
                Map.entry("WorkDeadLetterQueueAlarm", "AWS/SQS ApproximateNumberOfMessagesVisible WorkDeadLetterQueue.QueueName"),
                Map.entry("WorkerErrorsAlarm", "AWS/Lambda Errors WorkerFunction"),
                Map.entry("ReconcilerErrorsAlarm", "AWS/Lambda Errors ReconcilerFunction"),
                Map.entry("Api5xxAlarm", "AWS/ApiGateway 5xx HttpApi"),
                Map.entry("RunsStalledAlarm", stack + " ReconcilerResends "),
                Map.entry("RunsFailedAlarm", stack + " RunsEnded failed"),
                Map.entry("LongRunAlarm", stack + " OldestActiveRunAge "),
                Map.entry("AppFailureRateAlarm", "SELECT AVG(EntryFailurePercent) FROM SCHEMA(\"" + stack + "\", AppId) GROUP BY AppId"
                        + " ORDER BY AVG() DESC LIMIT 1")));
        assertThat(template.resource("AlarmTopic").path("Condition").asText()).isEqualTo("HasAlarmEmail");
    }

    @Test
    void alarms_onTheFunctionsMetrics_nameMetricsTheCodeEmits_withThresholdsFromParameters() {
        SamTemplate template = SamTemplate.read();
        Map<String, String> emitted = MetricNames.declared();

        for (String alarm : List.of("RunsStalledAlarm", "RunsFailedAlarm", "LongRunAlarm")) {
            assertThat(emitted).as(alarm).containsKey(template.resource(alarm).path("Properties").path("MetricName").asText());
        }
        assertThat(emitted).containsKey("EntryFailurePercent").containsEntry("OldestActiveRunAge", "Seconds");
        assertThat(template.resource("AppFailureRateAlarm").path("Properties").path("Threshold").asText()).isEqualTo("AppFailureRatePercent");
        assertThat(template.resource("LongRunAlarm").path("Properties").path("Threshold").asText()).isEqualTo("RunActiveAlarmSeconds");
        assertThat(template.parameterIds()).contains("AppFailureRatePercent", "RunActiveAlarmSeconds", "LogLevel");
    }

    @Test
    void dashboard_showsEveryMetricTheFunctionsEmit_andNoOtherOfTheirNamespace() {
        Map<String, String> emitted = MetricNames.declared();
        assertThat(emitted).as("MetricName's constants, found by reflection").containsKeys("AppLatency", "RunsEnded", "WindowSize");

        assertThat(DeploymentChecks.dashboard(SamTemplate.read(), "OperationsDashboard", emitted)).isEmpty();
    }

    @Test
    void metricsNamespace_isTheOneTheDashboardAndAlarmsRead() {
        SamTemplate template = SamTemplate.read();

        for (String function : template.functions()) {
            assertThat(template.environment(function)).containsEntry("SYNCLINE_METRICS_NAMESPACE", "Syncline/${AWS::StackName}");
        }
        assertThat(template.resource("RunsFailedAlarm").path("Properties").path("Namespace").asText()).isEqualTo("Syncline/${AWS::StackName}");
        assertThat(template.resource("OperationsDashboard").path("Properties").path("DashboardBody").asText())
                .contains("\"Syncline/${AWS::StackName}\", \"RunsStarted\"");
    }

    @Test
    void dashboard_whenAWidgetNamesAMetricTheCodeDoesNotEmit_isReported() {
        SamTemplate template = changed("MetricName=\\\"WindowSize\\\"", "MetricName=\\\"WindowSizes\\\"");

        assertThat(DeploymentChecks.dashboard(template, "OperationsDashboard", MetricNames.declared())).containsExactly(
                "Widget 'Window size and chunk duration p95 (ms)' shows WindowSizes, which the functions do not emit (MetricName).",
                "WindowSize is emitted but no widget of OperationsDashboard shows it.");
    }

    @Test
    void dashboard_whenTheCodeEmitsANewMetric_asksForAWidget() {
        Map<String, String> emitted = new java.util.TreeMap<>(MetricNames.declared());
        emitted.put("QueueLag", "Seconds");

        assertThat(DeploymentChecks.dashboard(SamTemplate.read(), "OperationsDashboard", emitted)).containsExactly(
                "QueueLag is emitted but no widget of OperationsDashboard shows it.");
    }

    // ---- parameters and outputs -------------------------------------------------------------------------------------

    @Test
    void parameters_takeApiKeyDigestsHidden_andRefuseAKeyInTheirPlace() {
        JsonNode parameters = SamTemplate.read().root().path("Parameters");
        JsonNode hashes = parameters.path("ApiKeyHashes");
        Pattern allowed = Pattern.compile(hashes.path("AllowedPattern").asText());

        assertThat(hashes.path("NoEcho").asBoolean()).isTrue();
        assertThat(allowed.matcher("a".repeat(64) + "," + "0123456789abcdef".repeat(4)).matches()).isTrue();
        assertThat(allowed.matcher("sl_live_2b7e151628aed2a6abf7158809cf4f3c").matches()).isFalse();
        assertThat(parameters.path("AllowPrivateAppUrls").path("Default").asText()).isEqualTo("false");
        assertThat(parameters.path("PublishFeeds").path("Default").asText()).isEqualTo("false");
        assertThat(parameters.path("AlarmEmail").path("Default").asText()).isEmpty();
    }

    @Test
    void deployGuide_explainsEveryParameterOutputAndAlarm() {
        SamTemplate template = SamTemplate.read();
        String guide = DeploymentChecks.read(REPOSITORY.resolve("docs/deploy.md"));

        assertThat(template.parameterIds()).allSatisfy(parameter -> assertThat(guide).contains("`" + parameter + "`"));
        template.root().path("Outputs").fieldNames()
                .forEachRemaining(output -> assertThat(guide).contains("`" + output + "`"));
        assertThat(template.idsOfType("AWS::CloudWatch::Alarm")).allSatisfy(alarm -> assertThat(guide).contains("| `" + alarm + "` |"));
        assertThat(guide).contains("make prebuilt-template", "sam deploy --template-file .aws-sam/prebuilt/template.yaml");
    }

    @Test
    void outputs_nameTheApiDashboardTableBucketAndQueues() {
        JsonNode outputs = SamTemplate.read().root().path("Outputs");

        assertThat(outputs.path("ApiUrl").path("Value").asText())
                .isEqualTo("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}");
        assertThat(outputs.path("DashboardUrl").path("Value").asText())
                .isEqualTo("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/");
        assertThat(outputs.path("TableName").path("Value").asText()).isEqualTo("Table");
        assertThat(outputs.path("BucketName").path("Value").asText()).isEqualTo("Bucket");
        assertThat(outputs.path("ControlQueueUrl").path("Value").asText()).isEqualTo("ControlQueue");
        assertThat(outputs.path("WorkQueueUrl").path("Value").asText()).isEqualTo("WorkQueue");
    }
}
