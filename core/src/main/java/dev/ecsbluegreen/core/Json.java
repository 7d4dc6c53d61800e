package dev.ecsbluegreen.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one way this project configures Jackson. Each function module keeps a single mapper built here
 * (mappers are thread-safe and expensive to create, so build it once, at class initialisation).
 */
public final class Json {
    private Json() {}

    /**
     * A mapper for AWS events and our own configuration: unknown properties are ignored (AWS adds fields
     * to its events without notice), records are bound through their canonical constructors.
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
