/**
 * Getting a model to an inference service and its output back: {@code export} (an atomically swapped
 * read-only snapshot, optionally watched) and {@code record} (monitoring rows committed to a branch
 * without checking it out) and {@code Monitoring} (what record wrote, per record
 * commit, for the web view). A FUSE mount of a branch is its own top-level layer,
 * {@code dev.mlv.mount}, built on the same readers. Uses {@code core}, {@code core.internal} and
 * {@code workspace}.
 */
package dev.mlv.core.serving;
