/**
 * {@code mlv serve}'s web view under {@code /ui/}: server-rendered pages of experiments,
 * comparisons, environments, A/B tests and files, with a little JavaScript and uPlot charts served
 * from the jar (docs/ui.md). Reads through {@code core}'s operations only; everything that comes
 * from the repository is escaped ({@link dev.mlv.serve.web.Html}) and pages carry a
 * {@code Content-Security-Policy} of {@code default-src 'self'}.
 */
package dev.mlv.serve.web;
