/**
 * Work-tree helpers lent to other capabilities: what changed in the work tree
 * ({@code WorkTreeChanges}), materialising a commit's large files ({@code WorkTreeSync}; many at
 * once ahead of a pull's, clone's or switch's checkout, {@code LargeFileCheckout}), tree diffs, run recording
 * and commit trailers. Not an API; {@code cli} and {@code serve} may not use it.
 */
package dev.mlv.core.workspace.internal;
