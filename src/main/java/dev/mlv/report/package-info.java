/**
 * {@code mlv report}: a static comparison of two commits for a pull request (metrics with deltas
 * and directions, gates, parameters, training curves overlaid as charts), as one HTML file or a
 * Markdown file with its charts as PNG images beside it. A front end like {@code serve}: it reads
 * through {@code core}'s public operations and is the only package that uses JFreeChart, so the
 * charting classes load only when this command runs.
 */
package dev.mlv.report;
