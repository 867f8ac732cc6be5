/**
 * mlv's one wildcard matcher, {@link dev.mlv.glob.Glob}, with a named dialect for each kind of
 * name it matches: repository paths, branch names and dotted metric keys. A plain library: it
 * imports nothing of mlv's other packages, so both {@code core} and {@code metrics} can use it.
 */
package dev.mlv.glob;
