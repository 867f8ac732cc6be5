package dev.mlv.core;

/**
 * A large file as a tree records it: its path and the content its pointer names.
 *
 * @param path    repository path
 * @param size    content size in bytes
 * @param oid     sha256 of the content, hex
 * @param present whether the local store has the content
 */
public record LargeFile(String path, long size, String oid, boolean present) {
}
