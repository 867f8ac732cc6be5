package dev.mlv.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks the server's token in {@code Authorization}: {@code Bearer TOKEN}, or {@code Basic} with
 * the token as the password and any user name, which is how git and git-lfs send what a credential
 * helper (or a URL's user info) gives them. The presented token and the expected one are compared
 * as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken reveals neither the
 * token's content nor its length.
 */
final class TokenAuth {
    /** The challenge on a refusal: git asks its credential helper when it sees Basic. */
    static final String CHALLENGE = "Basic realm=\"mlv\"";

    private final byte[] expected;

    TokenAuth(String token) {
        this.expected = sha256(token);
    }

    boolean allows(String authorization) {
        String presented = presented(authorization);
        // a missing or malformed header still hashes something, so it costs what a wrong token does
        return MessageDigest.isEqual(expected, sha256(presented == null ? "" : presented)) && presented != null;
    }

    /** The token a header presents, or null when it presents none. */
    private static String presented(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String userAndPassword = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = userAndPassword.indexOf(':');
                return colon < 0 ? null : userAndPassword.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null; // not base64: no credentials
            }
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
