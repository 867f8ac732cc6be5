package dev.mlv.core;

import dev.mlv.core.internal.JsonTrees;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed repository configuration, {@code .mlv/config.json}. Typed accessors read the
 * keys mlv knows; everything else in the file is kept as it is, so a newer mlv's settings survive
 * an older mlv's rewrite.
 */
public final class MlvConfig {
    /** Where the file lives, relative to the work tree. */
    public static final String PATH = ".mlv/config.json";
    public static final int FORMAT_VERSION = 1;
    /** The largest committed configuration read from a Git object: it holds settings, not data. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Branches shown as environments in listings unless configured otherwise. */
    public static final List<String> DEFAULT_ENVIRONMENTS = List.of("prod", "dev");
    /** Paths whose content a promotion takes from the source branch unless configured otherwise. */
    public static final List<String> DEFAULT_ARTIFACT_PATHS = List.of("models/", "metrics/", "logs/", "monitoring/");

    private final ObjectNode root;

    private MlvConfig(ObjectNode root) {
        this.root = root;
    }

    /** The configuration {@code mlv init} writes. */
    public static MlvConfig defaults() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", FORMAT_VERSION);
        ArrayNode envs = root.putArray("environments");
        DEFAULT_ENVIRONMENTS.forEach(envs::add);
        root.putObject("metrics").putObject("directions");
        root.putObject("gates");
        root.putObject("run").putArray("env");
        return new MlvConfig(root);
    }

    /** Reads {@code .mlv/config.json} under the work tree; defaults when the file does not exist. */
    public static MlvConfig read(Path workTree) throws MlvException {
        Path file = workTree.resolve(PATH);
        if (!Files.exists(file)) {
            return defaults();
        }
        try {
            return parse(Files.readAllBytes(file), PATH);
        } catch (IOException e) {
            throw new MlvException("cannot read " + PATH + ": " + e.getMessage(), e);
        }
    }

    /** Parses configuration bytes; {@code source} names them in errors. */
    public static MlvConfig parse(byte[] json, String source) throws MlvException {
        JsonNode node;
        try {
            node = JsonTrees.parse(json);
        } catch (JsonProcessingException e) {
            throw new MlvException(source + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage()
                    + "; fix the file and run the command again");
        } catch (IOException e) {
            throw new MlvException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new MlvException(source + " must hold a JSON object; fix the file and run the command again");
        }
        int version = object.path("version").asInt(FORMAT_VERSION);
        if (version > FORMAT_VERSION) {
            throw new MlvException(source + " has format version " + version + ", newer than this mlv understands ("
                    + FORMAT_VERSION + "); upgrade mlv");
        }
        return new MlvConfig(object);
    }

    /** The file's bytes, pretty-printed with a trailing newline. */
    public byte[] toBytes() {
        return (Json.writeTree(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Branches shown as environments ({@code prod}, {@code dev}, ...). */
    public List<String> environments() {
        JsonNode node = root.get("environments");
        if (node == null || !node.isArray()) {
            return DEFAULT_ENVIRONMENTS;
        }
        List<String> names = new ArrayList<>();
        node.forEach(n -> names.add(n.asText()));
        return List.copyOf(names);
    }

    /** Configured metric directions: key or glob to {@code max} or {@code min}. */
    public Map<String, String> metricDirections() {
        return stringMap(root.path("metrics").path("directions"));
    }

    /** Environment variables whose values a run record keeps. */
    public List<String> recordedEnv() {
        JsonNode node = root.path("run").path("env");
        List<String> names = new ArrayList<>();
        node.forEach(n -> names.add(n.asText()));
        return List.copyOf(names);
    }

    /** The raw JSON of a top-level section, for features that own it; a missing node when absent. */
    public JsonNode section(String name) {
        return root.path(name);
    }

    /** A copy with the top-level section {@code name} replaced (or added); every other key is kept. */
    public MlvConfig withSection(String name, JsonNode value) {
        ObjectNode copy = root.deepCopy();
        copy.set(name, value);
        return new MlvConfig(copy);
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return Map.copyOf(map);
    }
}
