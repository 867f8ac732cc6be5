/**
 * File manifests: a file version's ordered list of chunk ids and lengths, keyed by its oid, with
 * their binary encoding (docs/format.md, "Manifests"). Used by the store to rebuild, range-read and
 * compare files.
 */
package dev.mlv.store.manifest;
