package dev.ecsbluegreen.controller;

import java.util.Map;

/**
 * The part of a task definition the controller decides on.
 *
 * @param images container name → image, in the definition's order
 * @param release its {@link Tags#RELEASE} tag; null when it has none
 * @param active false once deregistered ({@code INACTIVE})
 */
public record TaskDefinition(String arn, String family, Map<String, String> images, String release, boolean active) {
    public TaskDefinition {
        images = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(images));
    }
}
