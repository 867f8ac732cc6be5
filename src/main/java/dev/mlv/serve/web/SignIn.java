package dev.mlv.serve.web;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * A browser's sign-in when serve has a token: a browser cannot add a Bearer header to a link it
 * follows, so the sign-in form trades the token, once, for a cookie. The cookie's value is a
 * random secret of this server process (not the token), {@code HttpOnly} (no script reads it) and
 * {@code SameSite=Strict} (no other site's page sends it); it admits only GET and HEAD, so it can
 * read what the token can read but never upload. A restart signs every browser out.
 */
final class SignIn {
    static final String COOKIE = "mlv_session";

    private final Predicate<String> tokenCheck;
    private final byte[] session;

    /** {@code tokenCheck} tells whether a presented token is the server's (in constant time). */
    SignIn(Predicate<String> tokenCheck) {
        this.tokenCheck = tokenCheck;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.session = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).getBytes(StandardCharsets.US_ASCII);
    }

    boolean tokenIsRight(String token) {
        return token != null && !token.isEmpty() && tokenCheck.test(token);
    }

    /** The {@code Set-Cookie} value given for the right token. */
    String cookie() {
        return COOKIE + "=" + new String(session, StandardCharsets.US_ASCII) + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** Whether the request is a GET or HEAD carrying this server's session cookie. */
    boolean admits(HttpExchange ex) {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return false;
        }
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return false;
        }
        boolean found = false;
        for (String header : headers) {
            for (String part : header.split(";")) {
                String c = part.strip();
                if (c.startsWith(COOKIE + "=")) {
                    byte[] presented = c.substring(COOKIE.length() + 1).getBytes(StandardCharsets.US_ASCII);
                    found |= MessageDigest.isEqual(session, presented);
                }
            }
        }
        return found;
    }
}
