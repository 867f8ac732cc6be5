/**
 * {@code mlv mount}: a read-only FUSE file system of one commit's tree (docs/mount.md). Reads go
 * through the public repository API ({@link dev.mlv.core.RepoFile#openChannel()}: large files by
 * range, touching only the chunks a read covers); the tree comes from
 * {@link dev.mlv.core.serving.TreeListing}. The FUSE binding's types (jnr-fuse) stay in this
 * package. Uses {@code core} only.
 */
package dev.mlv.mount;
