package dev.mlv.store;

/**
 * Object keys of a store; identical on every backend (see {@code docs/format.md}).
 * <pre>
 * config.json
 * packs/ab/abcd…(64 hex).pack     pack, named by the SHA-256 of its footer and trailer
 * index/abcd…(64 hex).idx         that pack's index
 * index/multi-pack.midx           the multi-pack index: many packs' indexes merged (gc --remote on a remote)
 * manifests/ab/abcd…(64 hex)      file manifest, named by the file's oid
 * bundles/abcd…(64 hex).mlvb      many manifests in one file (local only; read as manifests/ keys)
 * quarantine/abcd…(64 hex).pack   a damaged pack set aside by a repair (never read; gc removes it)
 * append/ab/abcd…(64 hex)         the hash state at the start of a file's last chunk (local only)
 * </pre>
 */
final class StoreLayout {
    static final String PACKS = "packs/";
    static final String INDEX = "index/";
    static final String MANIFESTS = "manifests/";
    static final String BUNDLES = "bundles/";
    static final String BUNDLE_SUFFIX = ".mlvb";
    static final String QUARANTINE = "quarantine/";
    static final String APPEND = "append/";
    /** The multi-pack index: every pack index it covers merged into one sorted file (format.md 5.1). */
    static final String MULTI_PACK_INDEX = "index/multi-pack.midx";
    static final String PACK_SUFFIX = ".pack";
    static final String INDEX_SUFFIX = ".idx";

    private StoreLayout() {
    }

    static String packKey(byte[] packId) {
        String hex = Hex.encode(packId);
        return PACKS + hex.substring(0, 2) + "/" + hex + PACK_SUFFIX;
    }

    static String indexKey(byte[] packId) {
        return INDEX + Hex.encode(packId) + INDEX_SUFFIX;
    }

    static String quarantineKey(byte[] packId) {
        return QUARANTINE + Hex.encode(packId) + PACK_SUFFIX;
    }

    static String manifestKey(Oid oid) {
        String hex = oid.hex();
        return MANIFESTS + hex.substring(0, 2) + "/" + hex;
    }

    static String appendStateKey(Oid oid) {
        String hex = oid.hex();
        return APPEND + hex.substring(0, 2) + "/" + hex;
    }

    /** The oid named by an append-state key, or null. */
    static Oid appendStateOidOf(String key) {
        if (!key.startsWith(APPEND)) {
            return null;
        }
        byte[] raw = Hex.decodeLowercase(key.substring(key.lastIndexOf('/') + 1), 32);
        return raw == null ? null : Oid.of(raw);
    }

    /** The pack id named by a pack or index key, or null if the key is not one. */
    static byte[] packIdOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        String suffix = key.startsWith(PACKS) ? PACK_SUFFIX : key.startsWith(INDEX) ? INDEX_SUFFIX : null;
        if (suffix == null || !name.endsWith(suffix)) {
            return null;
        }
        return Hex.decodeLowercase(name.substring(0, name.length() - suffix.length()), 32);
    }

    /** The oid named by a manifest key, or null. */
    static Oid oidOf(String key) {
        if (!key.startsWith(MANIFESTS)) {
            return null;
        }
        byte[] raw = Hex.decodeLowercase(key.substring(key.lastIndexOf('/') + 1), 32);
        return raw == null ? null : Oid.of(raw);
    }
}
