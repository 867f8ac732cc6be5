package dev.mlv.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A remote store as configured in {@code .mlv/config.json} under {@code store.remotes.NAME}:
 * {@code url} ({@code file:///path}, a path relative to the work tree, or
 * {@code s3://bucket/prefix}, or a Git LFS server's {@code http(s)://.../info/lfs}) and, for
 * S3-compatible services, {@code endpoint}, {@code region} and {@code pathStyle}; for a directory,
 * {@code hardLinks: false} to copy packs that a push or pull would otherwise hard-link between this
 * machine's stores. Never holds credentials.
 */
public record StoreRemote(String name, String url, String endpoint, String region, boolean pathStyle, boolean hardLinks) {
    /** A remote that hard-links whole packs where it can. */
    public StoreRemote(String name, String url, String endpoint, String region, boolean pathStyle) {
        this(name, url, endpoint, region, pathStyle, true);
    }

    /** The name used when none is given, for Git remotes and store remotes alike. */
    public static final String DEFAULT_NAME = "origin";
    static final String SECTION = "store";

    /** Every configured store remote, in file order. */
    public static Map<String, StoreRemote> all(MlvConfig config) {
        Map<String, StoreRemote> remotes = new LinkedHashMap<>();
        config.section(SECTION).path("remotes").fields().forEachRemaining(e -> {
            JsonNode n = e.getValue();
            remotes.put(e.getKey(), new StoreRemote(e.getKey(), n.path("url").asText(null), text(n, "endpoint"),
                    text(n, "region"), n.path("pathStyle").asBoolean(false), n.path("hardLinks").asBoolean(true)));
        });
        return remotes;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /**
     * The store remote to use: {@code preferred} when configured, else {@code origin}, else the only
     * one configured; null when none fits.
     */
    public static StoreRemote pick(MlvConfig config, String preferred) {
        Map<String, StoreRemote> all = all(config);
        if (preferred != null && all.containsKey(preferred)) {
            return all.get(preferred);
        }
        if (all.containsKey(DEFAULT_NAME)) {
            return all.get(DEFAULT_NAME);
        }
        return all.size() == 1 ? all.values().iterator().next() : null;
    }

    /** The config with this remote set (replacing one of the same name); other keys are kept. */
    public MlvConfig writeTo(MlvConfig config) {
        JsonNode existing = config.section(SECTION);
        ObjectNode store = existing instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode remotes = store.get("remotes") instanceof ObjectNode r ? r : store.putObject("remotes");
        ObjectNode node = remotes.putObject(name);
        node.put("url", url);
        if (endpoint != null) {
            node.put("endpoint", endpoint);
        }
        if (region != null) {
            node.put("region", region);
        }
        if (pathStyle) {
            node.put("pathStyle", true);
        }
        if (!hardLinks) {
            node.put("hardLinks", false);
        }
        return config.withSection(SECTION, store);
    }

    /** Whether this remote is a Git LFS server (an http or https URL) rather than a chunked store. */
    public boolean lfs() {
        String u = url == null ? "" : url.toLowerCase(java.util.Locale.ROOT);
        return u.startsWith("https://") || u.startsWith("http://");
    }

    /** Parallel transfers ({@code store.transfers}, default 4). */
    public static int transfers(MlvConfig config) {
        return Math.max(1, config.section(SECTION).path("transfers").asInt(4));
    }

    /** Retries of a remote call that failed as unreachable ({@code store.retries}, default 3). */
    public static int retries(MlvConfig config) {
        return Math.max(0, config.section(SECTION).path("retries").asInt(3));
    }
}
