package dev.ecsbluegreen.controller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The new image(s) of a release: one {@code REPO:TAG} for a single-container task definition, or
 * {@code container=REPO:TAG} for each container to change (the others keep theirs).
 *
 * @param single the image of a single-container definition; null when {@code byContainer} is used
 * @param byContainer container name → image; empty when {@code single} is used
 */
public record Images(String single, Map<String, String> byContainer) {
    public Images {
        byContainer = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byContainer));
    }

    /**
     * From the {@code --image} values (or UserParameters' {@code image}): {@code REPO:TAG} alone, or any number of
     * {@code container=REPO:TAG}.
     *
     * @throws ConfigurationException for no value, a blank one, a repeated container, or the two forms mixed
     */
    public static Images parse(List<String> values) {
        if (values.isEmpty()) {
            throw new ConfigurationException("no image given: name the new image with --image REPO:TAG "
                    + "(or --image CONTAINER=REPO:TAG for each container to change)");
        }
        Map<String, String> named = new LinkedHashMap<>();
        String single = null;
        for (String value : values) {
            String v = value == null ? "" : value.strip();
            int eq = v.indexOf('=');
            if (v.isEmpty() || eq == 0 || eq == v.length() - 1) {
                throw new ConfigurationException("image \"" + value + "\" is not REPO:TAG or CONTAINER=REPO:TAG");
            }
            if (eq < 0) {
                if (single != null || values.size() > 1) {
                    throw new ConfigurationException("an image without a container name (\"" + v + "\") must be the only one: "
                            + "name the container of each, CONTAINER=REPO:TAG");
                }
                single = v;
            } else if (named.put(v.substring(0, eq).strip(), v.substring(eq + 1).strip()) != null) {
                throw new ConfigurationException("container \"" + v.substring(0, eq).strip() + "\" is given two images");
            }
        }
        return new Images(single, named);
    }

    /**
     * The images of a definition made from {@code base} with these images.
     *
     * @throws ConfigurationException when a named container is not in {@code base}, or a single image is given for a
     *     definition of several containers
     */
    public Map<String, String> applyTo(TaskDefinition base) {
        Map<String, String> result = new LinkedHashMap<>(base.images());
        if (single != null) {
            if (result.size() != 1) {
                throw new ConfigurationException("task definition " + Names.taskDefinition(base.arn()) + " has "
                        + result.size() + " containers " + result.keySet() + ": name the one to change, --image CONTAINER=REPO:TAG");
            }
            result.replaceAll((container, image) -> single);
            return result;
        }
        for (Map.Entry<String, String> e : byContainer.entrySet()) {
            if (!result.containsKey(e.getKey())) {
                throw new ConfigurationException("task definition " + Names.taskDefinition(base.arn()) + " has no container \""
                        + e.getKey() + "\" (it has " + result.keySet() + ")");
            }
            result.put(e.getKey(), e.getValue());
        }
        return result;
    }

    /**
     * The release id these images make when none is given: the same images always make the same id, so a repeated
     * {@code deploy} finds the task set of the first. {@code r-} and 12 hex digits of a SHA-256.
     */
    public String releaseId() {
        Map<String, String> sorted = single == null ? new TreeMap<>(byContainer) : Map.of("", single);
        return "r-" + Digests.sha256Hex(sorted.toString(), 6);
    }

    public String describe() {
        return single != null ? single : byContainer.toString();
    }
}
