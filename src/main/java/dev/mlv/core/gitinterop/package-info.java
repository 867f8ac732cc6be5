/**
 * Working with plain Git and Git LFS: {@code install}/{@code uninstall} of mlv's clean/smudge
 * filter in git's config, the long-running filter process git talks to, git-lfs's custom transfer
 * agent ({@code lfs-agent}) and {@code import-lfs}.
 * Uses {@code core}, {@code core.internal} and {@code workspace}.
 */
package dev.mlv.core.gitinterop;
