package dev.mlv.core;

/**
 * One changed path. {@code type} is added, modified or deleted; for a large file {@code size} and
 * {@code oid} are the content's (from its pointer), otherwise the blob's size and id.
 */
public record FileChange(String path, String type, boolean large, long size, String oid) {
}
