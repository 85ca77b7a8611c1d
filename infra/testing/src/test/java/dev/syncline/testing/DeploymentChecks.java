package dev.syncline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must hold between {@code template.yaml}, the {@code Makefile}, {@code Config} and the fixtures under
 * {@code events/} for a deployment to work. Each check answers every problem as a sentence naming the resource
 * and what to change; an empty list means the check passes.
 */
final class DeploymentChecks {

    /** Lambda sets these itself and refuses a function that sets them. */
    static final Set<String> RESERVED_VARIABLES = Set.of("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME", "AWS_EXECUTION_ENV", "_HANDLER",
            "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");
    /** Lambda's advice for SQS sources: a visibility timeout of at least six times the function's timeout. */
    static final int VISIBILITY_PER_TIMEOUT = 6;

    private static final Pattern MODULE = Pattern.compile("(?m)^MODULE_(\\w+)\\s*:=\\s*(\\S+)\\s*$");
    private static final Pattern SCHEDULES_OF_GROUP = Pattern.compile(
            "arn:\\$\\{AWS::Partition}:scheduler:\\$\\{AWS::Region}:\\$\\{AWS::AccountId}:schedule/\\$\\{(\\w+)}/\\*");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private DeploymentChecks() {
    }

    /**
     * Every function is built by the Makefile target SAM runs for it ({@code build-<LogicalId>}, CodeUri {@code .},
     * BuildMethod {@code makefile}), from the module the Makefile names, and that module holds the handler class.
     *
     * <p>The class is looked for as a source file, not under {@code target/classes}: the function modules depend on
     * infra/testing for their tests, so in a clean {@code ./mvnw verify} this check runs before they are compiled.
     * The source under {@code src/main/java} is what the module compiles into its {@code function.jar}.
     */
    static List<String> handlers(SamTemplate template, String makefile, Path repository) {
        List<String> problems = new ArrayList<>();
        Map<String, String> modules = new LinkedHashMap<>();
        Matcher module = MODULE.matcher(makefile);
        while (module.find()) {
            modules.put(module.group(1), module.group(2));
        }
        for (String function : template.functions()) {
            if (!".".equals(template.functionProperty(function, "CodeUri").asText())
                    || !"makefile".equals(template.resource(function).path("Metadata").path("BuildMethod").asText())) {
                problems.add(function + " is not built by the Makefile: give it CodeUri '.' and Metadata BuildMethod makefile.");
                continue;
            }
            String moduleDirectory = modules.get(function);
            if (moduleDirectory == null) {
                problems.add("The Makefile names no module for " + function + ": add MODULE_" + function + " := functions/<module>.");
                continue;
            }
            if (!Pattern.compile("(?m)^build-" + function + ":\\s*\\$\\(MODULE_" + function + "\\)/target/function\\.jar\\s*$")
                    .matcher(makefile).find()) {
                problems.add("The Makefile has no target build-" + function + " installing $(MODULE_" + function
                        + ")/target/function.jar, which sam build runs for it.");
            }
            String handler = template.functionProperty(function, "Handler").asText();
            String[] parts = handler.split("::");
            if (parts.length != 2) {
                problems.add(function + " has handler '" + handler + "'; a Java handler is <class>::<method>.");
                continue;
            }
            Path source = repository.resolve(moduleDirectory).resolve("src/main/java")
                    .resolve(parts[0].replace('.', '/') + ".java");
            if (!Files.isRegularFile(source)) {
                problems.add(function + "'s handler class " + parts[0] + " is not in " + moduleDirectory + " (no "
                        + repository.relativize(source) + ").");
                continue;
            }
            String code = read(source);
            String simpleName = parts[0].substring(parts[0].lastIndexOf('.') + 1);
            if (!Pattern.compile("public\\s+(final\\s+)?class\\s+" + simpleName + "\\b[^{]*\\bimplements\\s+RequestHandler\\b")
                    .matcher(code).find()) {
                problems.add(function + "'s handler class " + parts[0] + " is not a public RequestHandler.");
            }
            // Lambda instantiates the handler through its public no-arg constructor.
            if (!Pattern.compile("public\\s+" + simpleName + "\\s*\\(\\s*\\)").matcher(code).find()) {
                problems.add(function + "'s handler class " + parts[0] + " has no public no-arg constructor for Lambda to call.");
            }
            if (!Pattern.compile("public\\s+\\S+\\s+" + Pattern.quote(parts[1]) + "\\s*\\(").matcher(code).find()) {
                problems.add(function + "'s handler method " + parts[1] + " is not declared by " + parts[0] + ".");
            }
        }
        return problems;
    }

    /**
     * The functions' environments against Config: every {@code SYNCLINE_} variable Config declares is either set for
     * exactly the functions that read it ({@code readers}) or deliberately left unset ({@code unset}, with a reason);
     * every {@code SYNCLINE_} variable the template sets is one Config declares; values are references to the
     * stack's parameters and resources, except the variables in {@code literals}; no function sets a variable Lambda
     * reserves.
     */
    static List<String> environment(SamTemplate template, Collection<String> declared, Map<String, Set<String>> readers,
            Map<String, String> unset, Set<String> literals) {
        List<String> problems = new ArrayList<>();
        for (String variable : new TreeSet<>(declared)) {
            if (!readers.containsKey(variable) && !unset.containsKey(variable)) {
                problems.add("Config declares " + variable + ": set it in template.yaml for the functions that read it"
                        + " and list them in TemplateTest.READERS, or list it in TemplateTest.UNSET with the reason.");
            }
        }
        for (String variable : new TreeSet<>(readers.keySet())) {
            if (!declared.contains(variable)) {
                problems.add("TemplateTest.READERS lists " + variable + ", which Config does not declare.");
            }
        }
        Set<String> references = new TreeSet<>(template.parameterIds());
        references.addAll(template.resourceIds());
        for (String function : template.functions()) {
            Map<String, String> environment = template.environment(function);
            readers.forEach((variable, functions) -> {
                if (functions.contains(function) && !environment.containsKey(variable)) {
                    problems.add(variable + " is not set for " + function + ", which reads it.");
                }
                if (!functions.contains(function) && environment.containsKey(variable)) {
                    problems.add(variable + " is set for " + function + ", which does not read it.");
                }
            });
            unset.keySet().forEach(variable -> {
                if (environment.containsKey(variable)) {
                    problems.add(variable + " is set for " + function + ", but a deployment leaves it unset: "
                            + unset.get(variable));
                }
            });
            environment.forEach((variable, value) -> {
                if (RESERVED_VARIABLES.contains(variable)) {
                    problems.add(function + " sets " + variable + ", which Lambda reserves and sets itself.");
                }
                if (!variable.startsWith("SYNCLINE_")) {
                    return;
                }
                if (!declared.contains(variable)) {
                    problems.add(function + " sets " + variable + ", which Config does not declare: nothing reads it.");
                } else if (!literals.contains(variable) && !unset.containsKey(variable)
                        && !references.contains(value.replaceFirst("\\.[A-Za-z]+$", ""))) {
                    problems.add(function + " sets " + variable + " to '" + value + "', which is not a !Ref or !GetAtt of"
                            + " this stack's parameters or resources.");
                }
            });
        }
        return problems;
    }

    /**
     * Every SQS event source delivers one message per invocation, reports failed messages one by one
     * (ReportBatchItemFailures), caps its concurrency (ScalingConfig MaximumConcurrency), and reads a queue whose
     * visibility timeout is at least {@value #VISIBILITY_PER_TIMEOUT} times the function's timeout, so that a
     * message is not handed out again while an invocation may still be working on it.
     */
    static List<String> sqsEventSources(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (String function : template.functions()) {
            template.events(function).forEach((name, event) -> {
                if (!"SQS".equals(event.path("Type").asText())) {
                    return;
                }
                String where = function + " event " + name;
                JsonNode properties = event.path("Properties");
                if (properties.path("BatchSize").asInt(0) != 1) {
                    problems.add(where + " has BatchSize " + properties.path("BatchSize").asText("(default 10)")
                            + "; one message per invocation keeps a retry to that message.");
                }
                boolean reportsItems = false;
                for (JsonNode type : properties.path("FunctionResponseTypes")) {
                    reportsItems |= "ReportBatchItemFailures".equals(type.asText());
                }
                if (!reportsItems) {
                    problems.add(where + " does not declare FunctionResponseTypes ReportBatchItemFailures: the handler's"
                            + " failed messages would count as processed.");
                }
                if (properties.path("ScalingConfig").path("MaximumConcurrency").isMissingNode()) {
                    problems.add(where + " has no ScalingConfig MaximumConcurrency: nothing bounds its concurrency.");
                }
                String queue = properties.path("Queue").asText().replaceFirst("\\.Arn$", "");
                JsonNode visibility = template.resource(queue).path("Properties").path("VisibilityTimeout");
                int timeout = template.functionProperty(function, "Timeout").asInt(3);
                if (visibility.isMissingNode()) {
                    problems.add(where + " reads " + queue + ", which is not a queue of this template with a VisibilityTimeout.");
                } else if (visibility.asInt() < VISIBILITY_PER_TIMEOUT * timeout) {
                    problems.add(where + ": " + queue + "'s VisibilityTimeout " + visibility.asInt() + " s is less than "
                            + VISIBILITY_PER_TIMEOUT + " x " + function + "'s Timeout " + timeout + " s = "
                            + VISIBILITY_PER_TIMEOUT * timeout + " s.");
                }
            });
        }
        return problems;
    }

    /**
     * Each function's policy statements allow named actions on this stack's own resources only: an ARN attribute of
     * a resource ({@code !GetAtt X.Arn}), the table's named index, or objects under a prefix of the bucket
     * ({@code ${Bucket.Arn}/<prefix>/*}, the only wildcard). No policy templates or managed policies, whose
     * statements this check cannot see.
     */
    static List<String> iam(SamTemplate template, String bucket) {
        List<String> problems = new ArrayList<>();
        for (String function : template.functions()) {
            for (JsonNode policy : template.resource(function).path("Properties").path("Policies")) {
                if (!policy.has("Statement")) {
                    problems.add(function + " uses the policy " + policy + ", which is not an inline policy document.");
                }
            }
            for (JsonNode statement : template.policyStatements(function)) {
                String where = function + " statement " + statement.path("Sid").asText("(no Sid)");
                if (!"Allow".equals(statement.path("Effect").asText())) {
                    problems.add(where + " is not an Allow statement.");
                }
                for (JsonNode action : SamTemplate.oneOrMany(statement.path("Action"))) {
                    if (action.asText().contains("*")) {
                        problems.add(where + " allows the wildcard action " + action.asText() + "; name the actions.");
                    }
                }
                List<JsonNode> targets = SamTemplate.oneOrMany(statement.path("Resource"));
                if (targets.isEmpty()) {
                    problems.add(where + " names no Resource.");
                }
                for (JsonNode target : targets) {
                    String problem = resourceProblem(template, target, bucket);
                    if (problem != null) {
                        problems.add(where + " allows " + target + ": " + problem);
                    }
                }
            }
        }
        return problems;
    }

    private static String resourceProblem(SamTemplate template, JsonNode target, String bucket) {
        Set<String> resources = template.resourceIds();
        if (!target.isTextual()) {
            return "a resource must be a !GetAtt or !Sub of this stack's resources.";
        }
        String text = target.asText();
        // EventBridge Scheduler schedules have no ARN attribute: those of one of this stack's schedule groups.
        Matcher schedules = SCHEDULES_OF_GROUP.matcher(text);
        if (schedules.matches()) {
            return "AWS::Scheduler::ScheduleGroup".equals(template.resource(schedules.group(1)).path("Type").asText())
                    ? null : schedules.group(1) + " is not a schedule group of this stack.";
        }
        Matcher attribute = Pattern.compile("(\\w+)\\.Arn").matcher(text);
        if (attribute.matches()) {
            return resources.contains(attribute.group(1)) ? null : attribute.group(1) + " is not a resource of this stack.";
        }
        Matcher variable = SUB_VARIABLE.matcher(text);
        if (!text.startsWith("${") || !variable.find() || variable.start() != 0) {
            return "not a reference to this stack's resources (a literal ARN or a wildcard).";
        }
        String base = variable.group(1).replaceFirst("\\.Arn$", "");
        String rest = text.substring(variable.end());
        if (!resources.contains(base) || !variable.group(1).endsWith(".Arn")) {
            return variable.group(1) + " is not the ARN of a resource of this stack.";
        }
        if (SUB_VARIABLE.matcher(rest).find()) {
            return "only one reference, at the start, is allowed.";
        }
        if (base.equals(bucket)) {
            return rest.matches("/[a-z][a-z0-9-]*/\\*") ? null : "objects of the bucket are granted per prefix, as /<prefix>/*.";
        }
        if ("AWS::DynamoDB::Table".equals(template.resource(base).path("Type").asText()) && rest.matches("/index/[A-Za-z0-9_.-]+")) {
            return null;
        }
        return "only a named index of a table or a prefix of the bucket may follow an ARN, without wildcards.";
    }

    /** Every file under {@code events/} is used by a test: its path relative to the repository appears in a test source. */
    static List<String> unusedFixtures(Collection<String> fixtures, Map<Path, String> testSources) {
        List<String> problems = new ArrayList<>();
        for (String fixture : new TreeSet<>(fixtures)) {
            if (testSources.values().stream().noneMatch(source -> source.contains(fixture))) {
                problems.add(fixture + " is used by no test: drive a handler with it, or delete it.");
            }
        }
        return problems;
    }

    /**
     * No lifecycle rule expires what must outlive runs: the delivered state under {@code state/} (unless the rule
     * selects objects by tag) and the promoted feed files under {@code feeds/}.
     */
    static List<String> lifecycle(SamTemplate template, String bucket) {
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : template.resource(bucket).path("Properties").path("LifecycleConfiguration").path("Rules")) {
            if (rule.path("ExpirationInDays").isMissingNode() && rule.path("ExpirationDate").isMissingNode()) {
                continue;
            }
            String prefix = rule.path("Prefix").asText("");
            boolean byTag = rule.path("TagFilters").size() > 0;
            for (String kept : List.of("state/", "feeds/")) {
                if (kept.startsWith(prefix) && !(byTag && kept.equals("state/"))) {
                    problems.add("Lifecycle rule " + rule.path("Id").asText() + " (prefix '" + prefix + "') expires "
                            + kept + ", which must outlive runs.");
                }
            }
        }
        return problems;
    }

    /** SnapStart allows at most 512 MB of /tmp: a function with more must not use it, or its versions fail to publish. */
    static List<String> snapStart(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (String function : template.functions()) {
            int storage = template.functionProperty(function, "EphemeralStorage").path("Size").asInt(512);
            String snapStart = template.functionProperty(function, "SnapStart").path("ApplyOn").asText("None");
            if (storage > 512 && !"None".equals(snapStart)) {
                problems.add(function + " has " + storage + " MB of ephemeral storage and SnapStart " + snapStart
                        + "; SnapStart supports at most 512 MB.");
            }
        }
        return problems;
    }

    /** Every alarm notifies the alarm topic when it exists, and nobody otherwise. */
    static List<String> alarmActions(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (String alarm : template.idsOfType("AWS::CloudWatch::Alarm")) {
            JsonNode properties = template.resource(alarm).path("Properties");
            for (String actions : List.of("AlarmActions", "OKActions")) {
                String declared = properties.path(actions).toString();
                if (!"[\"HasAlarmEmail\",[\"AlarmTopic\"],\"AWS::NoValue\"]".equals(declared)) {
                    problems.add(alarm + " " + actions + " is " + declared
                            + "; use !If [HasAlarmEmail, [!Ref AlarmTopic], !Ref AWS::NoValue].");
                }
            }
        }
        return problems;
    }

    /**
     * What is wrong with the CloudWatch dashboard: a body that is not JSON, a widget naming a metric of the stack's
     * namespace that the functions do not emit, an emitted metric that no widget shows.
     *
     * @param emitted the metrics the code emits (MetricName), name to unit
     */
    static List<String> dashboard(SamTemplate template, String dashboard, Map<String, String> emitted) {
        List<String> problems = new ArrayList<>();
        String body = template.resource(dashboard).path("Properties").path("DashboardBody").asText();
        JsonNode root;
        try {
            // The body is a !Sub: its ${...} references become a number, which is valid inside and outside strings.
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body.replaceAll("\\$\\{[^}]+}", "1"));
        } catch (java.io.IOException e) {
            return List.of(dashboard + " DashboardBody is not JSON: " + e.getMessage());
        }
        Set<String> shown = new TreeSet<>();
        for (JsonNode widget : root.path("widgets")) {
            for (JsonNode row : widget.path("properties").path("metrics")) {
                String title = widget.path("properties").path("title").asText();
                JsonNode first = row.path(0);
                String namespace;
                String metric;
                if (first.has("expression")) {
                    Matcher search = SEARCH.matcher(first.path("expression").asText());
                    if (!search.find()) {
                        continue; // metric math over other rows
                    }
                    namespace = search.group(1);
                    metric = search.group(2);
                } else {
                    namespace = first.asText();
                    metric = row.path(1).asText();
                }
                if (!namespace.equals(STACK_NAMESPACE)) {
                    continue;
                }
                shown.add(metric);
                if (!emitted.containsKey(metric)) {
                    problems.add("Widget '" + title + "' shows " + metric + ", which the functions do not emit (MetricName).");
                }
            }
        }
        for (String metric : emitted.keySet()) {
            if (!shown.contains(metric)) {
                problems.add(metric + " is emitted but no widget of " + dashboard + " shows it.");
            }
        }
        return problems;
    }

    /** The stack's metric namespace, {@code Syncline/${AWS::StackName}}, as {@link #dashboard} reads it. */
    static final String STACK_NAMESPACE = "Syncline/1";
    private static final Pattern SEARCH =
            Pattern.compile("SEARCH\\('\\{([^,}]+)[^}]*} MetricName=\"([^\"]+)\"");

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + file, e);
        }
    }
}
