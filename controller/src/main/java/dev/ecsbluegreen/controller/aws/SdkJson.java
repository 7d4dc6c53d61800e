package dev.ecsbluegreen.controller.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.controller.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * JSON in the shape of the AWS CLI's {@code --cli-input-json} — the API's own member names — into an SDK model, by the
 * model's own field descriptions ({@link SdkPojo#sdkFields()}): every member the API has is taken, nested members
 * included, and a member it does not have is an error naming its path, as the CLI's is. Enumerations are written as
 * their strings, so values newer than this SDK still go through to the API, which judges them.
 */
final class SdkJson {
    private SdkJson() {}

    /**
     * Fills {@code builder} from {@code json} and builds it.
     *
     * @param what names the document in messages ({@code task definition file taskdef.json})
     * @throws ConfigurationException for an unknown member or a value of the wrong JSON type
     */
    @SuppressWarnings("unchecked")
    static <T> T read(JsonNode json, SdkBuilder<?, T> builder, String what) {
        fill((SdkPojo) builder, json, "", what);
        return builder.build();
    }

    private static void fill(SdkPojo builder, JsonNode node, String path, String what) {
        if (!node.isObject()) {
            throw wrong(what, path.isEmpty() ? "the document" : path, "an object");
        }
        Map<String, SdkField<?>> fields = new LinkedHashMap<>();
        for (SdkField<?> field : builder.sdkFields()) {
            fields.put(field.locationName(), field);
        }
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            String at = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
            SdkField<?> field = fields.get(member.getKey());
            if (field == null) {
                throw new ConfigurationException(what + " has the member \"" + at + "\", which the API does not know (known "
                        + (path.isEmpty() ? "" : "in " + path + " ") + "are " + new TreeSet<>(fields.keySet()) + ")");
            }
            if (!member.getValue().isNull()) {
                field.set(builder, value(field, member.getValue(), at, what));
            }
        }
    }

    private static Object value(SdkField<?> field, JsonNode node, String path, String what) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            if (!node.isTextual()) {
                throw wrong(what, path, "a string");
            }
            return node.asText();
        }
        if (type == MarshallingType.INTEGER) {
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw wrong(what, path, "a whole number");
            }
            return node.asInt();
        }
        if (type == MarshallingType.LONG) {
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw wrong(what, path, "a whole number");
            }
            return node.asLong();
        }
        if (type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT) {
            if (!node.isNumber()) {
                throw wrong(what, path, "a number");
            }
            return type == MarshallingType.DOUBLE ? (Object) node.asDouble() : (Object) (float) node.asDouble();
        }
        if (type == MarshallingType.BOOLEAN) {
            if (!node.isBoolean()) {
                throw wrong(what, path, "true or false");
            }
            return node.asBoolean();
        }
        if (type == MarshallingType.SDK_POJO) {
            SdkPojo nested = field.constructor().get();
            fill(nested, node, path, what);
            return ((SdkBuilder<?, ?>) nested).build();
        }
        if (type == MarshallingType.LIST) {
            if (!node.isArray()) {
                throw wrong(what, path, "a list");
            }
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                values.add(value(member, node.get(i), path + "[" + i + "]", what));
            }
            return values;
        }
        if (type == MarshallingType.MAP) {
            if (!node.isObject()) {
                throw wrong(what, path, "an object");
            }
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                values.put(e.getKey(), value(member, e.getValue(), path + "." + e.getKey(), what));
            }
            return values;
        }
        throw new ConfigurationException(what + ": \"" + path + "\" is of a kind this tool does not read (" + type + ")");
    }

    private static ConfigurationException wrong(String what, String path, String wanted) {
        return new ConfigurationException(what + ": \"" + path + "\" must be " + wanted);
    }
}
