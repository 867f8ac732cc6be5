/**
 * The data submodule itself ({@code DataModule}, {@code Submodules}), and moving it when the work
 * tree switches commits ({@code DataFollow}): lent to workspace, experiment and reproduce. Not an
 * API; {@code cli} and {@code serve} may not use it.
 */
package dev.mlv.core.data.internal;
