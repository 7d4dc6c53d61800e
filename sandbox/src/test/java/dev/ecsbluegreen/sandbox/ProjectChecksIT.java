package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ecsbluegreen.core.Json;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
