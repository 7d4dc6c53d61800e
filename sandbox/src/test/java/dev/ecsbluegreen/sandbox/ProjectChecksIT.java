package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.telemetry.Invocation;
import dev.ecsbluegreen.core.telemetry.Metric;
import dev.ecsbluegreen.core.telemetry.MetricsLog;
import dev.ecsbluegreen.testing.EventFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an operator deploys, checked against what the build made: template.yaml's handlers exist in the
 * jars it names, its policies keep least privilege, it lints clean, and the docs' snippets and the events
 * are what they claim to be.
 */
class ProjectChecksIT {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path ROOT = EventFiles.repositoryRoot();

    private static JsonNode template() throws IOException {
        return YAML.readTree(ROOT.resolve("template.yaml").toFile());
    }

    /**
     * template.yaml with CloudFormation's short tags in their long form ({@code !Ref X} → {@code {"Ref": "X"}},
     * {@code !Sub s} → {@code {"Fn::Sub": s}}), which {@link #template()} drops: what a check needs to tell a
     * parameter from a literal.
     */
    private static JsonNode cloudFormation() throws IOException {
        try (YAMLParser parser = YAML.getFactory().createParser(ROOT.resolve("template.yaml").toFile())) {
            parser.nextToken();
            return intrinsic(parser);
        }
    }

    private static final Set<String> SHORT_TAGS = Set.of("Ref", "Condition", "Sub", "If", "Join", "Select", "Split",
            "GetAtt", "Not", "Equals", "And", "Or", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue");

    private static JsonNode intrinsic(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode value;
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = nodes.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                object.set(name, intrinsic(parser));
            }
            value = object;
        } else if (token == JsonToken.START_ARRAY) {
            ArrayNode array = nodes.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(intrinsic(parser));
            }
            value = array;
        } else {
            value = switch (token) {
                case VALUE_NUMBER_INT -> nodes.numberNode(parser.getLongValue());
                case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDoubleValue());
                case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(parser.getBooleanValue());
                case VALUE_NULL -> nodes.nullNode();
                default -> nodes.textNode(parser.getText());
            };
        }
        if (tag == null) {
            return value;
        }
        assertTrue(SHORT_TAGS.contains(tag), "template.yaml: unknown tag !" + tag);
        return nodes.objectNode().set(tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag, value);
    }

    private static JsonNode ref(String name) {
        return JsonNodeFactory.instance.objectNode().put("Ref", name);
    }

    private static JsonNode sub(String text) {
        return JsonNodeFactory.instance.objectNode().put("Fn::Sub", text);
    }

    private static List<Map.Entry<String, JsonNode>> functions(JsonNode template) {
        List<Map.Entry<String, JsonNode>> functions = new ArrayList<>();
        template.get("Resources").properties().forEach(e -> {
            if ("AWS::Serverless::Function".equals(e.getValue().path("Type").asText())) {
                functions.add(e);
            }
        });
        return functions;
    }

    @Test
    void everyHandlerInTheTemplateIsAStreamHandlerInTheJarItNames() throws Exception {
        List<Map.Entry<String, JsonNode>> functions = functions(template());
        assertEquals(5, functions.size(), "the swap function, three hooks and the controller");
        for (Map.Entry<String, JsonNode> function : functions) {
            JsonNode properties = function.getValue().get("Properties");
            Path jar = ROOT.resolve(properties.get("CodeUri").asText());
            assertTrue(Files.isRegularFile(jar), function.getKey() + ": " + jar + " was not built");
            String handler = properties.get("Handler").asText();
            String className = handler.substring(0, handler.indexOf("::"));
            String method = handler.substring(handler.indexOf("::") + 2);
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                Class<?> type = Class.forName(className, false, loader);
                assertTrue(Modifier.isPublic(type.getConstructor().getModifiers()), handler + " needs a public no-arg constructor");
                Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
                type.getMethod(method, InputStream.class, OutputStream.class, context);
            }
        }
    }

    @Test
    void hookFunctionsAreNamedSoTheCodeDeployRolesMayInvokeThem() throws Exception {
        for (Map.Entry<String, JsonNode> function : functions(template())) {
            JsonNode env = function.getValue().at("/Properties/Environment/Variables");
            if (env.has("HOOK_STAGE")) {
                assertEquals("CodeDeployHook_${AWS::StackName}-" + env.get("HOOK_STAGE").asText(),
                        function.getValue().at("/Properties/FunctionName").asText());
            }
        }
    }

    @Test
    void hookValidationBoundLeavesTheReportItsTimeWithinTheFunctionTimeout() throws Exception {
        JsonNode template = template();
        int maxValidation = template.at("/Parameters/MaxValidationSeconds/MaxValue").asInt();
        assertTrue(maxValidation > 0, "MaxValidationSeconds needs a MaxValue");
        for (Map.Entry<String, JsonNode> function : functions(template)) {
            JsonNode properties = function.getValue().get("Properties");
            JsonNode env = properties.at("/Environment/Variables");
            if (env.has("HOOK_STAGE")) {
                // the hooks' default REPORT_MARGIN_SECONDS (HookConfig) unless the template sets it
                int reportMargin = env.has("REPORT_MARGIN_SECONDS") ? env.get("REPORT_MARGIN_SECONDS").asInt() : 10;
                assertTrue(maxValidation + reportMargin <= properties.get("Timeout").asInt(), function.getKey()
                        + ": MaxValidationSeconds may be " + maxValidation + " s, plus " + reportMargin
                        + " s to report, but the function stops after " + properties.get("Timeout").asInt() + " s");
            }
        }
    }

    @Test
    void theProductionHookNeverTestsTheTestTrafficBaseUrl() throws Exception {
        JsonNode template = template();
        List<String> testTraffic = new ArrayList<>();
        String production = null;
        for (Map.Entry<String, JsonNode> function : functions(template)) {
            JsonNode env = function.getValue().at("/Properties/Environment/Variables");
            if (env.has("HOOK_STAGE")) {
                String baseUrl = env.path("TARGET_BASE_URL").toString();
                if (env.get("HOOK_STAGE").asText().equals("AfterAllowTraffic")) {
                    production = baseUrl;
                } else {
                    testTraffic.add(baseUrl);
                }
            }
        }
        assertEquals(2, testTraffic.size());
        assertTrue(production != null && !production.equals("\"\""), "AfterAllowTraffic's TARGET_BASE_URL: " + production);
        assertFalse(testTraffic.contains(production), "AfterAllowTraffic tests " + production + ", as the test hooks do");
    }

    @Test
    void swapFunctionNeverRunsTwiceAtOnce() throws Exception {
        assertEquals(1, template().at("/Resources/SwapFunction/Properties/ReservedConcurrentExecutions").asInt());
    }

    @Test
    void policiesGrantNoWildcardActionAndNoWriteOnEveryResource() throws Exception {
        List<JsonNode> statements = new ArrayList<>();
        template().findValues("Statement").forEach(s -> s.forEach(statements::add));
        assertTrue(statements.size() >= 6, "statements found: " + statements.size());
        for (JsonNode statement : statements) {
            List<String> actions = new ArrayList<>();
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(a -> actions.add(a.asText()));
            } else {
                actions.add(action.asText());
            }
            for (String a : actions) {
                assertFalse(a.contains("*"), "wildcard action " + a + " in " + statement);
            }
            boolean onEverything = statement.path("Resource").isTextual() && statement.path("Resource").asText().equals("*");
            if (onEverything) {
                for (String a : actions) {
                    String verb = a.substring(a.indexOf(':') + 1);
                    // ECS's task-definition writes support no resource-level permissions; tagging only as part of a create
                    boolean unscopable = a.equals("ecs:RegisterTaskDefinition") || a.equals("ecs:DeregisterTaskDefinition")
                            || a.equals("ecs:TagResource") && statement.at("/Condition/StringEquals/ecs:CreateAction").isArray();
                    assertTrue(verb.startsWith("Describe") || verb.startsWith("Get") || verb.startsWith("PutJob") || unscopable,
                            a + " is allowed on every resource: " + statement);
                }
            }
        }
    }

    @Test
    void templateAndExamplesLintWithoutErrors() throws Exception {
        Path cfnLint = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "cfn-lint")).filter(Files::isExecutable).findFirst().orElse(null);
        // a check that cannot run fails: a green build must mean the templates were linted
        assertNotNull(cfnLint, "cfn-lint is not on the PATH: template.yaml and the examples cannot be linted "
                + "(pip install cfn-lint)");
        List<String> command = List.of(cfnLint.toString(), "template.yaml",
                "examples/reference-pipeline/infrastructure.yaml", "examples/reference-pipeline/pipeline.yaml",
                "examples/external-controller/codepipeline-stage.yaml");
        Process lint = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes());
        assertTrue(lint.waitFor(5, TimeUnit.MINUTES), "cfn-lint did not finish");
        // cfn-lint's exit code is a bit set: 2 = errors, 4 = warnings, 8 = informational
        assertEquals(0, lint.exitValue() & 2, "cfn-lint found errors:\n" + output);
        System.out.println("cfn-lint " + String.join(" ", command.subList(1, command.size())) + ": exit "
                + lint.exitValue() + (output.isBlank() ? "" : "\n" + output));
    }

    @Test
    void docsSnippetsAreValidYamlAndJson() throws Exception {
        int checked = 0;
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    YAML.readTree(file.toFile());
                    checked++;
                } else if (name.endsWith(".json")) {
                    JSON.readTree(file.toFile());
                    checked++;
                } else if (name.endsWith(".md")) {
                    checked += checkFencedBlocks(file);
                }
            }
        }
        checked += checkFencedBlocks(ROOT.resolve("README.md"));
        assertTrue(checked >= 5, "only " + checked + " snippets found");
    }

    private static final Pattern FENCE = Pattern.compile("(?ms)^```(yaml|yml|json)\\s*\\n(.*?)^```");

    private static int checkFencedBlocks(Path markdown) throws IOException {
        int checked = 0;
        Matcher m = FENCE.matcher(Files.readString(markdown));
        while (m.find()) {
            String block = m.group(2);
            try {
                if (m.group(1).equals("json")) {
                    // a block may hold several values, one per line, as log excerpts do
                    try (var values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(block)) {
                        assertTrue(values.hasNextValue(), markdown + ": empty ```json block");
                        while (values.hasNextValue()) {
                            values.nextValue();
                        }
                    }
                } else {
                    YAML.readTree(block);
                }
            } catch (IOException e) {
                throw new AssertionError(markdown + ": a ```" + m.group(1) + " block does not parse: " + e.getMessage()
                        + "\n" + block, e);
            }
            checked++;
        }
        return checked;
    }

    // ------------------------------------------------------------------ what to watch (docs/operations.md)

    /** The service each function's metrics and logs are under, as template.yaml names it: service → function. */
    private static Map<JsonNode, Metric.Function> services(JsonNode template) {
        Map<JsonNode, Metric.Function> services = new HashMap<>();
        for (Map.Entry<String, JsonNode> function : functions(template)) {
            JsonNode service = function.getValue().at("/Properties/Environment/Variables/" + Invocation.SERVICE_ENV);
            assertFalse(service.isMissingNode(), function.getKey() + " sets no " + Invocation.SERVICE_ENV);
            String module = function.getValue().at("/Properties/CodeUri").asText();
            Metric.Function emitter = module.startsWith("swap-function/") ? Metric.Function.SWAP
                    : module.startsWith("hooks/") ? Metric.Function.HOOKS
                    : module.startsWith("controller/") ? Metric.Function.CONTROLLER : null;
            assertNotNull(emitter, function.getKey() + ": which function is " + module + "?");
            Metric.Function before = services.put(service, emitter);
            assertTrue(before == null || before == emitter, service + " names two kinds of function");
        }
        return services;
    }

    /** The resources of one type, by logical id. */
    private static Map<String, JsonNode> resources(JsonNode template, String type) {
        Map<String, JsonNode> found = new HashMap<>();
        template.get("Resources").properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    @Test
    void everyFunctionLogsJsonAndNamesItsServiceAndTheMetricsNamespace() throws Exception {
        JsonNode template = cloudFormation();
        assertEquals(MetricsLog.DEFAULT_NAMESPACE, template.at("/Parameters/MetricsNamespace/Default").asText(),
                "the template's default namespace is the functions' own default");
        JsonNode global = template.at("/Globals/Function");
        for (Map.Entry<String, JsonNode> function : functions(template)) {
            JsonNode properties = function.getValue().get("Properties");
            // SAM merges the Globals' maps into each function's
            ObjectNode logging = ((ObjectNode) global.path("LoggingConfig").deepCopy())
                    .setAll((ObjectNode) properties.path("LoggingConfig").deepCopy());
            assertEquals("JSON", logging.path("LogFormat").asText(), function.getKey() + ": " + logging);
            assertEquals(ref("ApplicationLogLevel"), logging.path("ApplicationLogLevel"), function.getKey());
            assertEquals("WARN", logging.path("SystemLogLevel").asText(), function.getKey());
            JsonNode namespace = properties.at("/Environment/Variables/" + MetricsLog.NAMESPACE_ENV);
            if (namespace.isMissingNode()) {
                namespace = global.at("/Environment/Variables/" + MetricsLog.NAMESPACE_ENV);
            }
            assertEquals(ref("MetricsNamespace"), namespace, function.getKey());
            assertEquals(ref("Tracing"), properties.has("Tracing") ? properties.get("Tracing") : global.get("Tracing"),
                    function.getKey());
        }
        Set<String> names = services(template).keySet().stream().map(JsonNode::toString).collect(Collectors.toSet());
        assertEquals(Set.of(sub("${AWS::StackName}-swap").toString(), sub("${AWS::StackName}-hooks").toString(),
                sub("${AWS::StackName}-controller").toString()), names);
    }

    @Test
    void everyMetricIsInTheOperationsGuidesTableWithItsUnit() throws Exception {
        List<String> rows = Files.readAllLines(ROOT.resolve("docs/operations.md")).stream()
                .filter(line -> line.startsWith("| `")).toList();
        for (Metric metric : Metric.values()) {
            String row = rows.stream().filter(line -> line.startsWith("| `" + metric.metricName + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/operations.md has no table row for the metric `"
                            + metric.metricName + "` (" + metric.meaning + ")"));
            assertTrue(row.contains(metric.unit.emfName), metric.metricName + "'s row does not say its unit, "
                    + metric.unit.emfName + ": " + row);
        }
    }

    @Test
    void everyAlarmWatchesAMetricItsFunctionEmitsUnderTheStacksNamespaceAndService() throws Exception {
        JsonNode template = cloudFormation();
        Map<JsonNode, Metric.Function> services = services(template);
        Map<String, Metric> metrics = Arrays.stream(Metric.values()).collect(Collectors.toMap(m -> m.metricName, m -> m));
        Map<String, JsonNode> alarms = resources(template, "AWS::CloudWatch::Alarm");
        assertFalse(alarms.isEmpty(), "template.yaml has no alarm");
        Set<String> watched = new HashSet<>();
        for (Map.Entry<String, JsonNode> alarm : alarms.entrySet()) {
            String id = alarm.getKey();
            JsonNode properties = alarm.getValue().get("Properties");
            Metric metric = metrics.get(properties.path("MetricName").asText());
            assertNotNull(metric, id + " watches " + properties.path("MetricName") + ", which no function emits");
            assertEquals(ref("MetricsNamespace"), properties.get("Namespace"), id);
            JsonNode service = null;
            for (JsonNode dimension : properties.path("Dimensions")) {
                assertEquals("service", dimension.path("Name").asText(),
                        id + ": the functions emit every metric under [service] alone, not " + properties.get("Dimensions"));
                service = dimension.get("Value");
            }
            Metric.Function function = services.get(service);
            assertNotNull(function, id + ": " + service + " is no function's " + Invocation.SERVICE_ENV);
            assertTrue(metric.functions.contains(function), id + ": " + function + " never emits " + metric.metricName);
            // an alarm on a function that may not exist exists only with it
            for (Map.Entry<String, JsonNode> f : functions(template)) {
                if (service.equals(f.getValue().at("/Properties/Environment/Variables/" + Invocation.SERVICE_ENV))) {
                    assertEquals(f.getValue().path("Condition"), alarm.getValue().path("Condition"), id);
                }
            }
            watched.add(function + " " + metric.metricName);
        }
        // the one state that needs a person now, and a report that did not go through, for every function
        Set<String> expected = new TreeSet<>();
        for (Metric.Function function : Set.copyOf(services.values())) {
            expected.add(function + " " + Metric.REPORT_FAILED.metricName);
            if (Metric.RESTORE_INCOMPLETE.functions.contains(function)) {
                expected.add(function + " " + Metric.RESTORE_INCOMPLETE.metricName);
            }
        }
        assertTrue(watched.containsAll(expected), "alarms: " + new TreeSet<>(watched) + ", wanted " + expected);
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
    private static final Pattern SEARCH_METRIC = Pattern.compile("MetricName=\\\\?\"(\\w+)\\\\?\"");

    @Test
    void theDashboardShowsEveryMetricAndOnlyTheFunctionsOwn() throws Exception {
        JsonNode template = cloudFormation();
        Map<String, JsonNode> dashboards = resources(template, "AWS::CloudWatch::Dashboard");
        assertEquals(1, dashboards.size(), dashboards.keySet().toString());
        JsonNode body = dashboards.values().iterator().next().at("/Properties/DashboardBody/Fn::Sub");
        assertTrue(body.isTextual(), "DashboardBody is one !Sub string, so that its names follow the stack");
        // what the stack's names become; a variable that is neither is a parameter or resource the check lists
        Set<String> variables = new TreeSet<>();
        Matcher variable = SUB_VARIABLE.matcher(body.asText());
        StringBuilder json = new StringBuilder();
        while (variable.find()) {
            variables.add(variable.group(1));
            variable.appendReplacement(json, Matcher.quoteReplacement(switch (variable.group(1)) {
                case "MetricsNamespace" -> "NAMESPACE";
                case "AWS::StackName" -> "STACK";
                default -> variable.group(1);
            }));
        }
        variable.appendTail(json);
        assertTrue(variables.contains("MetricsNamespace") && variables.contains("AWS::StackName"), variables.toString());
        for (String name : variables) {
            assertTrue(name.startsWith("AWS::") || template.at("/Parameters").has(name), "${" + name + "} in the dashboard");
        }
        Set<String> services = services(template).keySet().stream()
                .map(s -> s.path("Fn::Sub").asText().replace("${AWS::StackName}", "STACK")).collect(Collectors.toSet());
        Set<String> names = Arrays.stream(Metric.values()).map(m -> m.metricName).collect(Collectors.toSet());
        Set<String> shown = new TreeSet<>();
        for (JsonNode widget : JSON.readTree(json.toString()).path("widgets")) {
            for (JsonNode metric : widget.at("/properties/metrics")) {
                if (metric.get(0).isObject()) {
                    String expression = metric.get(0).path("expression").asText();
                    Matcher m = SEARCH_METRIC.matcher(expression);
                    assertTrue(expression.contains("NAMESPACE") && m.find(), "expression " + expression);
                    do {
                        assertTrue(names.contains(m.group(1)), m.group(1) + " in " + expression + " is no Metric");
                        shown.add(m.group(1));
                    } while (m.find());
                    continue;
                }
                assertEquals("NAMESPACE", metric.get(0).asText(), metric.toString());
                assertTrue(names.contains(metric.get(1).asText()), metric.get(1) + " is no Metric: " + metric);
                shown.add(metric.get(1).asText());
                assertEquals("service", metric.get(2).asText(), metric.toString());
                assertTrue(services.contains(metric.get(3).asText()), metric + ": not a service of the stack " + services);
            }
        }
        assertEquals(new TreeSet<>(names), shown, "the dashboard shows every metric the functions emit");
    }

    @Test
    void everyEventIsJsonOfAKnownTrigger() throws Exception {
        Set<String> prefixes = Set.of("codepipeline-", "codedeploy-", "ecs-");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                assertTrue(name.endsWith(".json") && prefixes.stream().anyMatch(name::startsWith),
                        name + " is not a known trigger's event (codepipeline-*, codedeploy-*, ecs-*.json)");
                assertTrue(JSON.readTree(file.toFile()).isObject(), name);
                names.add(name);
            }
        }
        assertTrue(names.size() >= 7, names.toString());
        // and each one is fed to its function's parser by a test of that function
        String tests = testSources();
        for (String name : names) {
            assertTrue(tests.contains("\"" + name + "\""), "no test of a function loads events/" + name);
        }
    }

    /** The test sources of the function modules, concatenated. */
    private static String testSources() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String module : List.of("swap-function", "hooks", "controller")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/test/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(file));
                }
            }
        }
        return all.toString();
    }
}
