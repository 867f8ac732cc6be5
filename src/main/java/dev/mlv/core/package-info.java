/**
 * The repository and what every capability shares: {@link dev.mlv.core.MlvRepository} (a work tree,
 * its Git repository and its chunk store, opened once per command), {@link dev.mlv.core.Session}
 * (clock and environment), {@link dev.mlv.core.MlvConfig}, the error type
 * {@link dev.mlv.core.MlvException} with its {@link dev.mlv.core.ErrorKind}, and the small value
 * records the operations return. Operations report progress through the store's
 * {@link dev.mlv.store.ProgressListener}, the one listener type of every layer.
 *
 * <p>The library API an embedding application may use (docs/api.md, "Stability"):
 * {@code MlvRepository}'s open, list, file and read calls, {@code RepoFile}, {@code Session},
 * {@code MlvException} and {@code ErrorKind} here, {@code MetricsShow}, {@code MetricCell} and
 * {@code BranchList} in {@code experiment}, and {@code History} in {@code promotion}. Everything
 * else may change.
 *
 * <p>Each capability lives in a sub-package with one operation class per use case (JGit style:
 * setters, {@code call()}, an immutable result). Helpers that more than one capability needs live in
 * {@code internal} packages: {@code core.internal} for the repository-wide ones, and
 * {@code <capability>.internal} for those a capability lends to others. {@code cli} and {@code serve}
 * never use an {@code internal} package (checked by {@code ArchitectureTest}). Code here may use
 * {@code git}, {@code store} and {@code metrics}, and JGit; it never prints and never exits.
 * See docs/architecture.md.
 */
package dev.mlv.core;
