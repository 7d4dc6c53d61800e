package dev.ecsbluegreen.sandbox.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a state machine as Step Functions runs it, for the part of the Amazon States Language (JSONPath) that the
 * example's validation state machine uses: {@code Pass} (Parameters, InputPath, ResultPath), {@code Task} on
 * {@code arn:aws:states:::lambda:invoke} (Parameters, ResultSelector, ResultPath; its Retry covers Lambda's own
 * faults, which do not happen here, and is not played), {@code Choice} (Variable with StringEquals, Default),
 * {@code Wait} (SecondsPath, shortened to at most {@code maxWait}), {@code Succeed} and {@code Fail}. Anything else
 * stops the run with an error naming it: the moto server the test runs on executes Lambda tasks only in Docker, and
 * this stand-in is only as faithful as what it knows.
 */
final class HookStateMachine {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Invokes a Lambda function as Step Functions' lambda:invoke does, synchronously; returns its answer. */
    interface Lambda {
        /** @throws AssertionError when the function fails (a function error fails the Task in Step Functions) */
        JsonNode invoke(String functionName, JsonNode payload);
    }

    /**
     * @param states   the states entered, in order
     * @param payloads what each Lambda task was called with
     * @param answers  what each answered
     */
    record Outcome(boolean succeeded, String finalState, String error, List<String> states, List<JsonNode> payloads,
                   List<JsonNode> answers) {}

    private HookStateMachine() {}

    static Outcome run(JsonNode definition, JsonNode input, String executionName, Lambda lambda, Duration maxWait) {
        ObjectNode context = NODES.objectNode();
        context.putObject("Execution").put("Name", executionName);
        List<String> entered = new ArrayList<>();
        List<JsonNode> payloads = new ArrayList<>();
        List<JsonNode> answers = new ArrayList<>();
        String name = definition.path("StartAt").asText();
        JsonNode data = input.deepCopy();
        for (int transitions = 0; transitions < 50; transitions++) {
            JsonNode state = definition.path("States").path(name);
            if (state.isMissingNode()) {
                throw new AssertionError("the state machine has no state " + name);
            }
            entered.add(name);
            String type = state.path("Type").asText();
            switch (type) {
                case "Pass" -> {
                    JsonNode selected = select(data, state.path("InputPath").asText("$"), context);
                    JsonNode result = state.has("Parameters") ? parameters(state.get("Parameters"), selected, context) : selected;
                    data = place(data, result, state.path("ResultPath").asText("$"));
                }
                case "Task" -> {
                    if (!state.path("Resource").asText().endsWith(":states:::lambda:invoke")) {
                        throw new AssertionError("state " + name + ": only lambda:invoke tasks are played here, not "
                                + state.path("Resource").asText());
                    }
                    JsonNode request = parameters(state.get("Parameters"), data, context);
                    payloads.add(request.get("Payload"));
                    JsonNode answer = lambda.invoke(request.path("FunctionName").asText(), request.get("Payload"));
                    answers.add(answer);
                    ObjectNode taskResult = NODES.objectNode().put("StatusCode", 200);
                    taskResult.set("Payload", answer);
                    JsonNode result = state.has("ResultSelector")
                            ? parameters(state.get("ResultSelector"), taskResult, context) : taskResult;
                    data = place(data, result, state.path("ResultPath").asText("$"));
                }
                case "Choice" -> {
                    String next = state.path("Default").asText(null);
                    for (JsonNode choice : state.path("Choices")) {
                        if (!choice.has("StringEquals")) {
                            throw new AssertionError("state " + name + ": only StringEquals choices are played here: " + choice);
                        }
                        JsonNode value = select(data, choice.path("Variable").asText(), context);
                        if (value.isTextual() && value.asText().equals(choice.get("StringEquals").asText())) {
                            next = choice.path("Next").asText();
                            break;
                        }
                    }
                    if (next == null) {
                        return new Outcome(false, name, "States.NoChoiceMatched", entered, payloads, answers);
                    }
                    name = next;
                    continue;
                }
                case "Wait" -> {
                    JsonNode seconds = select(data, state.path("SecondsPath").asText(), context);
                    if (!seconds.isNumber()) {
                        throw new AssertionError("state " + name + ": SecondsPath " + state.path("SecondsPath")
                                + " is not a number but " + seconds + " (Step Functions fails the execution)");
                    }
                    Duration wait = Duration.ofSeconds(seconds.asLong());
                    sleep(wait.compareTo(maxWait) < 0 ? wait : maxWait);
                }
                case "Succeed" -> {
                    return new Outcome(true, name, null, entered, payloads, answers);
                }
                case "Fail" -> {
                    return new Outcome(false, name, state.path("Error").asText(), entered, payloads, answers);
                }
                default -> throw new AssertionError("state " + name + ": type " + type + " is not played here");
            }
            if (state.path("End").asBoolean(false)) {
                return new Outcome(true, name, null, entered, payloads, answers);
            }
            name = state.path("Next").asText();
        }
        throw new AssertionError("the state machine ran 50 transitions without ending: " + entered);
    }

    /** Parameters/ResultSelector: keys ending in ".$" take the value at their path, the others are literal. */
    private static JsonNode parameters(JsonNode template, JsonNode data, JsonNode context) {
        if (!template.isObject()) {
            return template.deepCopy();
        }
        ObjectNode result = NODES.objectNode();
        template.properties().forEach(e -> {
            if (e.getKey().endsWith(".$")) {
                result.set(e.getKey().substring(0, e.getKey().length() - 2), select(data, e.getValue().asText(), context).deepCopy());
            } else {
                result.set(e.getKey(), parameters(e.getValue(), data, context));
            }
        });
        return result;
    }

    /** A reference path: {@code $}, {@code $.a.b}, {@code $$.Execution.Name}. A missing field is a runtime error. */
    private static JsonNode select(JsonNode data, String path, JsonNode context) {
        JsonNode root = path.startsWith("$$") ? context : data;
        String rest = path.startsWith("$$") ? path.substring(2) : path.substring(1);
        JsonNode node = root;
        for (String field : rest.isEmpty() ? new String[0] : rest.substring(1).split("\\.")) {
            if (!node.has(field)) {
                throw new AssertionError("States.Runtime: the path " + path + " matches nothing in " + root);
            }
            node = node.get(field);
        }
        return node;
    }

    /** ResultPath: {@code $} replaces the state's input, {@code $.a.b} sets that field of a copy of it. */
    private static JsonNode place(JsonNode data, JsonNode result, String path) {
        if (path.equals("$")) {
            return result;
        }
        ObjectNode copy = data.deepCopy();
        String[] fields = path.substring(2).split("\\.");
        ObjectNode parent = copy;
        for (int i = 0; i < fields.length - 1; i++) {
            parent = parent.has(fields[i]) ? (ObjectNode) parent.get(fields[i]) : parent.putObject(fields[i]);
        }
        parent.set(fields[fields.length - 1], result);
        return copy;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
