/**
 * {@code mlv serve}: read-only HTTP access to a repository's branches (files with Range and ETag,
 * refs, metrics, large files by oid). Beside it: Git smart HTTP for stock clients in
 * {@code serve.git} (the one place outside {@code git} and {@code core} that may use JGit's
 * transport), the Git LFS Batch API in {@code serve.lfs}, and (reserved) the web view in {@code serve.web}.
 * Uses {@code core} only; never a {@code core} {@code internal} package.
 */
package dev.mlv.serve;
