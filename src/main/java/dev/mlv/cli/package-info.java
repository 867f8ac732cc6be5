/**
 * The command line: one picocli {@code <Verb>Command} per command, each validating its options,
 * calling one {@code core} operation and rendering the result (text, {@code --json}, tables). The
 * only package that prints, exits ({@code Main}), or touches picocli and Logback; logging is set up
 * by {@code Main} alone so that the library never configures a host's logging. Uses {@code core}
 * and {@code serve}; never a {@code core} {@code internal} package, and of the store only
 * {@link dev.mlv.store.ProgressListener}, which {@code Progress} implements.
 */
package dev.mlv.cli;
