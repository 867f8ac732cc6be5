package dev.mlv.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>}. The presented token and the expected one are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken reveals
 * neither the token's content nor its length.
 */
final class BearerAuth {
    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = sha256(token);
    }

    boolean allows(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // still hash something, so a missing header costs the same as a wrong one
            MessageDigest.isEqual(expected, sha256(""));
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
