package dev.ecsbluegreen.sandbox.examples;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudFormation template as CloudFormation reads it: YAML whose short-form intrinsic functions ({@code !Ref x},
 * {@code !GetAtt a.b}, {@code !Sub …}) become their long form ({@code {"Ref": "x"}}, {@code {"Fn::GetAtt": ["a",
 * "b"]}}), so the tree can be filtered and handed to an emulator as JSON. A plain YAML reader drops those tags and
 * with them the meaning.
 */
final class CloudFormationTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private CloudFormationTemplate() {}

    static ObjectNode read(Path file) {
        try (YAMLParser parser = (YAMLParser) new YAMLFactory().createParser(Files.readString(file))) {
            parser.nextToken();
            return (ObjectNode) value(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + file, e);
        }
    }

    private static JsonNode value(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId();
        JsonNode value = switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                yield array;
            }
            case VALUE_NUMBER_INT -> NODES.numberNode(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> NODES.textNode(parser.getText());
        };
        return tag == null ? value : intrinsic(tag, value);
    }

    private static JsonNode intrinsic(String tag, JsonNode value) {
        if (tag.equals("GetAtt") && value.isTextual()) {
            String text = value.asText();
            int dot = text.indexOf('.');
            value = NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1));
        }
        String name = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
        return NODES.objectNode().set(name, value);
    }

    /** The logical ids {@code node} refers to ({@code Ref}, {@code Fn::GetAtt}, {@code ${…}} in {@code Fn::Sub}). */
    static Set<String> references(JsonNode node) {
        Set<String> found = new LinkedHashSet<>();
        collectReferences(node, found);
        return found;
    }

    private static void collectReferences(JsonNode node, Set<String> found) {
        if (node.isObject()) {
            if (node.has("Ref") && node.get("Ref").isTextual()) {
                found.add(node.get("Ref").asText());
            }
            if (node.has("Fn::GetAtt")) {
                JsonNode target = node.get("Fn::GetAtt");
                found.add(target.isArray() ? target.get(0).asText() : target.asText().split("\\.")[0]);
            }
            if (node.has("Fn::Sub")) {
                JsonNode sub = node.get("Fn::Sub");
                Matcher m = SUB_VARIABLE.matcher(sub.isArray() ? sub.get(0).asText() : sub.asText());
                while (m.find()) {
                    found.add(m.group(1).split("\\.")[0]);
                }
            }
            node.elements().forEachRemaining(child -> collectReferences(child, found));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectReferences(child, found));
        }
    }

    /**
     * The string an {@code Fn::Sub} (or a plain string) stands for, with each {@code ${Name}} looked up in
     * {@code values} (parameters, pseudo parameters, outputs). An unknown name fails: the caller is meant to know
     * every value the template needs.
     */
    static String substitute(JsonNode node, Function<String, String> values) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (!node.has("Fn::Sub") || !node.get("Fn::Sub").isTextual()) {
            throw new IllegalArgumentException("not a plain string nor an Fn::Sub of one: " + node);
        }
        Matcher m = SUB_VARIABLE.matcher(node.get("Fn::Sub").asText());
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String value = values.apply(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in " + node);
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /** {@code Resources} by logical id, in template order. */
    static Map<String, JsonNode> resources(JsonNode template) {
        Map<String, JsonNode> resources = new LinkedHashMap<>();
        template.get("Resources").properties().forEach(e -> resources.put(e.getKey(), e.getValue()));
        return resources;
    }
}
