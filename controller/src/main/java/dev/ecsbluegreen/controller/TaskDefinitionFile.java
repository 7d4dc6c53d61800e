package dev.ecsbluegreen.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task definition a deploy registers as given, instead of the primary's with new images: a JSON file in the shape of
 * {@code aws ecs register-task-definition --cli-input-json} (the API's member names: {@code family},
 * {@code containerDefinitions}, {@code taskRoleArn}, …), from the command line or the job's input artifact.
 *
 * @param source where it came from, for messages ({@code taskdef.json in BuildOutput})
 * @param text the file's JSON, registered as it is (its images replaced by {@code --image} where given)
 * @param family its {@code family}
 * @param images container name → image, in the file's order
 */
public record TaskDefinitionFile(String source, String text, String family, Map<String, String> images) {
    /** A task definition file of ECS's own size limit for a definition (64 KiB), with room: larger is refused. */
    static final int MAX_BYTES = 256 * 1024;

    public TaskDefinitionFile {
        images = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(images));
    }

    /** @throws ConfigurationException saying what is wrong with it */
    static TaskDefinitionFile parse(String source, String text, ObjectMapper mapper) {
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new ConfigurationException("task definition file " + source + " is larger than " + MAX_BYTES / 1024 + " KiB");
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigurationException("task definition file " + source + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigurationException("task definition file " + source + " could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigurationException("task definition file " + source + " must be a JSON object, as for "
                    + "aws ecs register-task-definition --cli-input-json");
        }
        JsonNode family = root.get("family");
        if (family == null || !family.isTextual() || family.asText().isBlank()) {
            throw new ConfigurationException("task definition file " + source + " has no \"family\"");
        }
        JsonNode containers = root.get("containerDefinitions");
        if (containers == null || !containers.isArray() || containers.isEmpty()) {
            throw new ConfigurationException("task definition file " + source + " has no \"containerDefinitions\"");
        }
        Map<String, String> images = new LinkedHashMap<>();
        for (int i = 0; i < containers.size(); i++) {
            JsonNode name = containers.get(i).get("name");
            JsonNode image = containers.get(i).get("image");
            if (name == null || !name.isTextual() || image == null || !image.isTextual()) {
                throw new ConfigurationException("task definition file " + source + ": containerDefinitions[" + i
                        + "] needs a \"name\" and an \"image\"");
            }
            if (images.put(name.asText(), image.asText()) != null) {
                throw new ConfigurationException("task definition file " + source + " has two containers named \""
                        + name.asText() + "\"");
            }
        }
        return new TaskDefinitionFile(source, text, family.asText(), images);
    }

    /** What the planner compares with what is registered: the family and the images, no ARN yet. */
    TaskDefinition asDefinition() {
        return new TaskDefinition("file " + source, family, images, null, true);
    }

    /**
     * The images the registered definition gets: the file's, with {@code overrides} applied.
     *
     * @throws ConfigurationException for an image left as a placeholder ({@code <IMAGE1_NAME>}, as CodeDeploy's
     *     taskdef.json has) that no {@code --image} fills
     */
    Map<String, String> imagesWith(Images overrides) {
        Map<String, String> wanted = overrides == null ? new LinkedHashMap<>(images) : overrides.applyTo(asDefinition());
        wanted.forEach((container, image) -> {
            if (image.contains("<") || image.contains(">")) {
                throw new ConfigurationException("task definition file " + source + ": container \"" + container
                        + "\" has the placeholder image " + image + "; give its image: --image " + container + "=REPO:TAG");
            }
        });
        return wanted;
    }

    /** The release id when none is given: {@code r-} and 12 hex digits of a SHA-256 of the file and the images. */
    String releaseId(Images overrides) {
        return "r-" + Digests.sha256Hex(text.strip() + (overrides == null ? "" : overrides.releaseId()), 6);
    }
}
