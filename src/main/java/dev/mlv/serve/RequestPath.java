package dev.mlv.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded segments of a request path. Each segment is percent-decoded on its own, so an
 * encoded slash ({@code %2F}) stays inside its segment: that is how branch names with slashes
 * travel. File paths are rebuilt from segments that must each be a plain name: a segment that
 * decodes to empty, {@code .}, {@code ..}, or contains a slash, backslash or NUL refuses the
 * request, whatever encoding spelled it.
 */
final class RequestPath {
    private RequestPath() {
    }

    /** The decoded segments of a raw path ({@code /v1/refs/a%2Fb} gives v1, refs, a/b); null when malformed. */
    static List<String> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            String s = decode(raw);
            if (s == null) {
                return null;
            }
            segments.add(s);
        }
        return segments;
    }

    /** Joins file path segments with '/'; null when any segment could step outside or is not a plain name. */
    static String filePath(List<String> segments) {
        if (segments.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0
                    || s.indexOf('\0') >= 0) {
                return null;
            }
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(s);
        }
        return path.toString();
    }

    /** A repository path as URL path segments: each segment percent-encoded, '/' kept between them. */
    static String encode(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** Strict percent-decoding as UTF-8 ({@code +} stays a plus); null for bad escapes or bytes. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
