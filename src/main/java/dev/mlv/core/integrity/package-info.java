/**
 * Keeping content whole: {@code fsck} (local and {@code --remote}, with {@code --repair}),
 * {@code gc} (local and {@code --remote}), and the reachability walk both use. Uses {@code core},
 * {@code core.internal} and {@code remote} (gc fetches before it marks).
 */
package dev.mlv.core.integrity;
