/**
 * Read-only Git smart HTTP for stock git ({@code git clone http://HOST:PORT/NAME.git}), protocol
 * v0 and v2 as stateless RPC, on JGit's {@code UploadPack}: the one package outside {@code git}
 * and {@code core} that uses JGit. It opens the served repository's Git directory itself and
 * never a {@code core} internal.
 */
package dev.mlv.serve.git;
