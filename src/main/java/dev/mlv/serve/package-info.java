/**
 * {@code mlv serve}: read-only HTTP access to a repository's branches (files with Range and ETag,
 * refs, metrics). The rooms for what it grows: Git smart HTTP for stock clients in
 * {@code serve.git} (the one place outside {@code git} and {@code core} that may use JGit's
 * transport), a Git LFS Batch endpoint in {@code serve.lfs}, and the web view in {@code serve.web}.
 * Uses {@code core} only; never a {@code core} {@code internal} package.
 */
package dev.mlv.serve;
