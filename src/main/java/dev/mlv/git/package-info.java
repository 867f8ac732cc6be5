/**
 * JGit, adapted: a repository with mlv's content filters registered, the clean/smudge and filter
 * process protocol, and attribute matching. Uses {@code store}; used by {@code core} only.
 */
package dev.mlv.git;
