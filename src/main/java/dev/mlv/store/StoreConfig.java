package dev.mlv.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mlv.store.chunk.ChunkerParams;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The store's {@code config.json}: format version, hash and chunker parameters. Written at init,
 * and again only to raise the version to {@link #BUNDLES_VERSION}; a store whose recorded
 * parameters differ from the code's is refused, so chunks cut two ways never mix (they would never
 * dedupe against each other).
 */
public record StoreConfig(int version, ChunkerParams chunkerParams) {
    public static final String KEY = "config.json";
    /** The version a new store is created with, and every store remote keeps. */
    public static final int FORMAT_VERSION = 1;
    /**
     * The version of a local store that holds manifest bundles (format.md 6.2): a store is raised
     * to it before its first bundle is written, so an mlv that knows only version 1 (and would not
     * see the bundled manifests) refuses it instead of finding files missing.
     */
    public static final int BUNDLES_VERSION = 2;
    static final String FORMAT = "mlv-store";

    /** jackson-core alone: the first {@code ObjectMapper} of a process costs ~75 ms of start-up. */
    private static final JsonFactory JSON = new JsonFactory();

    /** The same parameters at {@code newVersion}. */
    public StoreConfig withVersion(int newVersion) {
        return new StoreConfig(newVersion, chunkerParams);
    }

    public byte[] encode() {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", version);
            g.writeStringField("hash", "sha256");
            g.writeStringField("compression", "zstd");
            g.writeObjectFieldStart("chunker");
            g.writeStringField("algorithm", "gear-xet");
            g.writeNumberField("minSize", chunkerParams.minSize());
            g.writeNumberField("targetSize", chunkerParams.targetSize());
            g.writeNumberField("maxSize", chunkerParams.maxSize());
            g.writeStringField("mask", String.format("%016x", chunkerParams.mask()));
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode store config", e);
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static StoreConfig decode(String where, byte[] data) throws StoreConfigException {
        Map<String, String> top = new HashMap<>();
        Map<String, String> chunker = new HashMap<>();
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new StoreConfigException(where + " is not an mlv store config (not a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("chunker") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        chunker.put(key, scalar(p));
                    }
                } else {
                    top.put(name, scalar(p));
                }
            }
        } catch (IOException e) {
            throw new StoreConfigException("cannot read store config " + where + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(top.get("format"))) {
            throw new StoreConfigException(where + " is not an mlv store config (\"format\" is not \"" + FORMAT + "\")");
        }
        int version = toInt(top.get("version"), -1);
        if (version < FORMAT_VERSION || version > BUNDLES_VERSION) {
            throw new StoreConfigException("store " + where + " has format version " + version + "; this mlv reads versions "
                    + FORMAT_VERSION + " and " + BUNDLES_VERSION + (version > BUNDLES_VERSION ? " (upgrade mlv)" : " (use a matching mlv)"));
        }
        String hash = top.getOrDefault("hash", "");
        String algorithm = chunker.getOrDefault("algorithm", "");
        if (!"sha256".equals(hash) || !"gear-xet".equals(algorithm)) {
            throw new StoreConfigException("store " + where + " uses hash '" + hash + "' / chunker '" + algorithm
                    + "'; this mlv uses sha256 / gear-xet");
        }
        try {
            ChunkerParams params = new ChunkerParams(toInt(chunker.get("minSize"), 0), toInt(chunker.get("targetSize"), 0),
                    toInt(chunker.get("maxSize"), 0), Long.parseUnsignedLong(chunker.getOrDefault("mask", ""), 16));
            return new StoreConfig(version, params);
        } catch (IllegalArgumentException e) {
            throw new StoreConfigException("cannot read store config " + where + ": " + e.getMessage(), e);
        }
    }

    /** A scalar's text (containers are skipped and read as empty), so a wrong type fails where it is used. */
    private static String scalar(JsonParser p) throws IOException {
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
            return "";
        }
        return p.currentToken() == JsonToken.VALUE_NULL ? "" : p.getText();
    }

    private static int toInt(String text, int fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
