package dev.mlv.store.manifest;

import java.nio.charset.StandardCharsets;

/**
 * Byte layout of a file manifest (see {@code docs/format.md}); big-endian. Header: magic
 * {@code MLVM}, u16 version, u16 flags (0). Then one {@value #ENTRY_SIZE}-byte entry per chunk in
 * file order: chunk id (32), u32 length. Trailer: file oid (32), u64 file size, u64 chunk count,
 * magic {@code MLVE}, CRC32C (u32) of every preceding byte. The trailer comes last so a manifest
 * can be streamed to disk while the file is still being read.
 */
final class ManifestFormat {
    static final byte[] MAGIC = "MLVM".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "MLVE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_SIZE = 8;
    static final int ENTRY_SIZE = 36;
    static final int TRAILER_SIZE = 32 + 8 + 8 + 4 + 4;

    private ManifestFormat() {
    }
}
