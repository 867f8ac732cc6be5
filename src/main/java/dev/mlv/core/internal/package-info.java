/**
 * Helpers every capability shares, public only so that the capability packages can reach them: refs
 * and revisions ({@code Branches}, {@code Revisions}, {@code RefMoves}), pointers, the local content
 * store ({@code RepoContent}) and a store remote ({@code ContentRemote}: chunked, or a Git LFS server
 * through {@code LfsTransfer} with {@code GitCredentials}), the commit identity, metrics
 * loading, scratch directories and error mapping. Not an API: {@code cli} and {@code serve} may not
 * use it, and it may change in any release.
 */
package dev.mlv.core.internal;
