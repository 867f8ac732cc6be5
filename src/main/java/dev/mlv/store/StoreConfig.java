package dev.mlv.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlv.store.chunk.ChunkerParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The store's {@code config.json}: format version, hash and chunker parameters. Written once at
 * init; a store whose recorded parameters differ from the code's is refused, so chunks cut two
 * ways never mix (they would never dedupe against each other).
 */
public record StoreConfig(int version, ChunkerParams chunkerParams) {
    public static final String KEY = "config.json";
    public static final int FORMAT_VERSION = 1;
    static final String FORMAT = "mlv-store";

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] encode() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", version);
        root.put("hash", "sha256");
        root.put("compression", "zstd");
        ObjectNode c = root.putObject("chunker");
        c.put("algorithm", "gear-xet");
        c.put("minSize", chunkerParams.minSize());
        c.put("targetSize", chunkerParams.targetSize());
        c.put("maxSize", chunkerParams.maxSize());
        c.put("mask", String.format("%016x", chunkerParams.mask()));
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode store config", e);
        }
    }

    public static StoreConfig decode(String where, byte[] data) throws StoreConfigException {
        try {
            JsonNode root = JSON.readTree(data);
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new StoreConfigException(where + " is not an mlv store config (\"format\" is not \"" + FORMAT + "\")");
            }
            int version = root.path("version").asInt(-1);
            if (version != FORMAT_VERSION) {
                throw new StoreConfigException("store " + where + " has format version " + version
                        + "; this mlv supports version " + FORMAT_VERSION + " (use a matching mlv)");
            }
            JsonNode c = root.path("chunker");
            if (!"sha256".equals(root.path("hash").asText()) || !"gear-xet".equals(c.path("algorithm").asText())) {
                throw new StoreConfigException("store " + where + " uses hash '" + root.path("hash").asText()
                        + "' / chunker '" + c.path("algorithm").asText() + "'; this mlv uses sha256 / gear-xet");
            }
            ChunkerParams p = new ChunkerParams(c.path("minSize").asInt(), c.path("targetSize").asInt(),
                    c.path("maxSize").asInt(), Long.parseUnsignedLong(c.path("mask").asText(), 16));
            return new StoreConfig(version, p);
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof StoreConfigException sce) {
                throw sce;
            }
            throw new StoreConfigException("cannot read store config " + where + ": " + e.getMessage(), e);
        }
    }
}
