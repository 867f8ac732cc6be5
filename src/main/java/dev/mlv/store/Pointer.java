package dev.mlv.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Git LFS v1 pointer: what Git stores in place of a large file. Encoding follows git-lfs
 * {@code docs/spec.md}: {@code version} first, the other keys sorted, {@code "<key> <value>\n"}
 * lines, under 1024 bytes. Unknown keys are kept and re-emitted in sorted order, so parsing and
 * encoding a pointer written by another tool loses nothing. Encoding is canonical: one pointer,
 * one byte sequence (the version is always written as {@link #VERSION}).
 */
public final class Pointer {
    /** The version URL written in every pointer. */
    public static final String VERSION = "https://git-lfs.github.com/spec/v1";
    /** Pre-release version URLs that git-lfs still reads; parsed, but never written. */
    public static final List<String> LEGACY_VERSIONS =
            List.of("https://hawser.github.com/spec/v1", "http://git-media.io/v/2");
    /** An encoded pointer is strictly smaller than this many bytes. */
    public static final int MAX_ENCODED_SIZE = 1024;

    private static final String OID_PREFIX = "sha256:";
    private static final byte[] VERSION_LINE_PREFIX = "version ".getBytes(StandardCharsets.US_ASCII);

    private final Oid oid;
    private final long size;
    private final SortedMap<String, String> extensions;

    /** A pointer with only the required keys. */
    public Pointer(Oid oid, long size) {
        this(oid, size, Map.of());
    }

    /**
     * A pointer with additional keys (kept from a parsed pointer, or an extension's). Keys must
     * use only {@code [a-z0-9.-]} and must not be {@code version}, {@code oid} or {@code size};
     * values must not contain CR or LF nor start with a space.
     */
    public Pointer(Oid oid, long size, Map<String, String> extraKeys) {
        this.oid = Objects.requireNonNull(oid, "oid");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        this.size = size;
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : extraKeys.entrySet()) {
            String key = e.getKey();
            String value = Objects.requireNonNull(e.getValue(), "value of " + key);
            if (key.equals("version") || key.equals("oid") || key.equals("size")) {
                throw new IllegalArgumentException("'" + key + "' is a required key, not an extra key");
            }
            if (!validKey(key)) {
                throw new IllegalArgumentException("key '" + key + "' must be non-empty and use only [a-z0-9.-]");
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.startsWith(" ")) {
                throw new IllegalArgumentException("value of '" + key + "' must not contain CR/LF or start with a space");
            }
            copy.put(key, value);
        }
        this.extensions = Collections.unmodifiableSortedMap(copy);
        if (encode().length >= MAX_ENCODED_SIZE) {
            throw new IllegalArgumentException("encoded pointer would be " + MAX_ENCODED_SIZE + " bytes or more");
        }
    }

    public Oid oid() {
        return oid;
    }

    public long size() {
        return size;
    }

    /** Keys other than version, oid and size, sorted. */
    public SortedMap<String, String> extraKeys() {
        return extensions;
    }

    /** The canonical encoding: UTF-8, LF line endings, trailing LF. */
    public byte[] encode() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    private String text() {
        TreeMap<String, String> all = new TreeMap<>(extensions);
        all.put("oid", OID_PREFIX + oid.hex());
        all.put("size", Long.toString(size));
        StringBuilder sb = new StringBuilder(160);
        sb.append("version ").append(VERSION).append('\n');
        all.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        return sb.toString();
    }

    /**
     * The pointer these bytes encode, or null when they are not a valid pointer (not pointer-like,
     * too long, or malformed). For callers that treat "not a pointer" as ordinary content.
     */
    public static Pointer tryParse(byte[] data) {
        if (data.length == 0 || !looksLikePointer(data)) {
            return null;
        }
        try {
            return parse(data);
        } catch (PointerFormatException e) {
            return null;
        }
    }

    /**
     * Cheap test whether {@code head} (the first bytes of a blob; pass the whole blob if it is
     * shorter than 1024 bytes) starts like a pointer. A true answer still needs {@link #parse}.
     */
    public static boolean looksLikePointer(byte[] head) {
        return looksLikePointer(head, head.length);
    }

    /** As {@link #looksLikePointer(byte[])} for the first {@code length} bytes of {@code head}. */
    public static boolean looksLikePointer(byte[] head, int length) {
        if (length >= MAX_ENCODED_SIZE || length < VERSION_LINE_PREFIX.length) {
            return false;
        }
        if (!Arrays.equals(head, 0, VERSION_LINE_PREFIX.length, VERSION_LINE_PREFIX, 0, VERSION_LINE_PREFIX.length)) {
            return false;
        }
        if (startsWithLine(head, length, VERSION)) {
            return true;
        }
        for (String legacy : LEGACY_VERSIONS) {
            if (startsWithLine(head, length, legacy)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithLine(byte[] head, int length, String version) {
        byte[] v = version.getBytes(StandardCharsets.US_ASCII);
        int start = VERSION_LINE_PREFIX.length;
        int end = start + v.length;
        return end < length && Arrays.equals(head, start, end, v, 0, v.length) && head[end] == '\n';
    }

    /** Parses a pointer; see {@link #parse(byte[], int, int)}. */
    public static Pointer parse(byte[] data) throws PointerFormatException {
        return parse(data, 0, data.length);
    }

    /**
     * Parses a pointer strictly by the spec's MUST rules. Throws with a message naming the first
     * rule broken. Legacy version URLs are accepted (and normalised to {@link #VERSION}).
     */
    public static Pointer parse(byte[] data, int off, int len) throws PointerFormatException {
        if (len == 0) {
            throw new PointerFormatException("empty input; a pointer starts with 'version " + VERSION + "'");
        }
        if (len >= MAX_ENCODED_SIZE) {
            throw new PointerFormatException("input is " + len + " bytes; a pointer is smaller than "
                    + MAX_ENCODED_SIZE + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw new PointerFormatException("not valid UTF-8");
        }
        if (text.charAt(text.length() - 1) != '\n') {
            throw new PointerFormatException("last line does not end with a newline (LF)");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        TreeMap<String, String> extra = new TreeMap<>();
        String oidValue = null;
        String sizeValue = null;
        String previousKey = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.indexOf('\r') >= 0) {
                throw new PointerFormatException("line " + lineNo + " contains a carriage return; lines end with LF only");
            }
            if (line.isEmpty()) {
                throw new PointerFormatException("line " + lineNo + " is empty");
            }
            int sp = line.indexOf(' ');
            if (sp < 0) {
                throw new PointerFormatException("line " + lineNo + " ('" + abbreviate(line)
                        + "') is not '<key> <value>'");
            }
            String key = line.substring(0, sp);
            String value = line.substring(sp + 1);
            if (!validKey(key)) {
                throw new PointerFormatException("line " + lineNo + ": key '" + abbreviate(key)
                        + "' must be non-empty and use only [a-z0-9.-]");
            }
            if (value.startsWith(" ")) {
                throw new PointerFormatException("line " + lineNo + ": more than one space after key '" + key + "'");
            }
            if (i == 0) {
                if (!key.equals("version")) {
                    throw new PointerFormatException("first key must be 'version', found '" + key + "'");
                }
                if (!value.equals(VERSION) && !LEGACY_VERSIONS.contains(value)) {
                    throw new PointerFormatException("unsupported version '" + abbreviate(value)
                            + "'; expected '" + VERSION + "'");
                }
                continue;
            }
            if (key.equals("version")) {
                throw new PointerFormatException("line " + lineNo + ": 'version' must appear only on the first line");
            }
            if (previousKey != null && key.compareTo(previousKey) <= 0) {
                throw new PointerFormatException("line " + lineNo + ": key '" + key
                        + (key.equals(previousKey) ? "' is repeated" : "' is not in sorted order after '" + previousKey + "'"));
            }
            previousKey = key;
            switch (key) {
                case "oid" -> oidValue = value;
                case "size" -> sizeValue = value;
                default -> extra.put(key, value);
            }
        }
        if (oidValue == null) {
            throw new PointerFormatException("missing 'oid' line");
        }
        if (sizeValue == null) {
            throw new PointerFormatException("missing 'size' line");
        }
        return new Pointer(parseOid(oidValue), parseSize(sizeValue), extra);
    }

    private static Oid parseOid(String value) throws PointerFormatException {
        if (!value.startsWith(OID_PREFIX)) {
            throw new PointerFormatException("oid must be 'sha256:<64 lowercase hex digits>', found '"
                    + abbreviate(value) + "'");
        }
        byte[] raw = Hex.decodeLowercase(value.substring(OID_PREFIX.length()), Oid.LENGTH);
        if (raw == null) {
            throw new PointerFormatException("oid must be 'sha256:<64 lowercase hex digits>', found '"
                    + abbreviate(value) + "'");
        }
        return Oid.of(raw);
    }

    private static long parseSize(String value) throws PointerFormatException {
        boolean digits = !value.isEmpty() && value.length() <= 19 && value.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (value.length() > 1 && value.charAt(0) == '0')) {
            throw new PointerFormatException("size must be a decimal number of bytes without sign or leading zeros, found '"
                    + abbreviate(value) + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new PointerFormatException("size '" + value + "' is too large");
        }
    }

    private static boolean validKey(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pointer p && p.oid.equals(oid) && p.size == size && p.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(oid, size, extensions);
    }

    /** The canonical text. */
    @Override
    public String toString() {
        return text();
    }
}
