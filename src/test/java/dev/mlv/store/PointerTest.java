package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Git LFS v1 pointer codec. Golden files live in src/test/resources/dev/mlv/store/pointer-*.txt;
 * they were written by hand from git-lfs docs/spec.md (the basic one is the spec's example) and
 * must only change if the spec does.
 */
class PointerTest {
    private static final String OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
    private static final String V = "version https://git-lfs.github.com/spec/v1\n";

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = PointerTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void encodesTheSpecExampleByteForByte() throws IOException {
        Pointer p = new Pointer(Oid.fromHex(OID), 12345);
        assertThat(p.encode()).isEqualTo(golden("pointer-basic.txt"));
        assertThat(Pointer.parse(golden("pointer-basic.txt"))).isEqualTo(p);
    }

    @Test
    void unknownKeysArePreservedAndReEmittedSorted() throws IOException {
        byte[] text = golden("pointer-extensions.txt");
        Pointer p = Pointer.parse(text);
        assertThat(p.size()).isEqualTo(12345);
        assertThat(p.extraKeys()).containsOnlyKeys("ext-0-foo", "ext-1-bar", "zz-custom");
        assertThat(p.extraKeys().get("zz-custom")).isEqualTo("some value: with spaces");
        assertThat(p.encode()).isEqualTo(text);
        Pointer built = new Pointer(p.oid(), p.size(), Map.of("zz-custom", "some value: with spaces",
                "ext-1-bar", p.extraKeys().get("ext-1-bar"), "ext-0-foo", p.extraKeys().get("ext-0-foo")));
        assertThat(built.encode()).isEqualTo(text);
    }

    @Test
    void zeroSizeAndLargestSizeRoundTrip() throws IOException {
        for (long size : new long[] {0, Long.MAX_VALUE}) {
            Pointer p = new Pointer(Oid.fromHex(OID), size);
            assertThat(Pointer.parse(p.encode())).isEqualTo(p);
            assertThat(new String(p.encode(), StandardCharsets.UTF_8)).endsWith("size " + size + "\n");
        }
    }

    @Test
    void legacyVersionIsReadAndWrittenAsV1() throws IOException {
        byte[] legacy = ("version https://hawser.github.com/spec/v1\noid sha256:" + OID + "\nsize 1\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Pointer.looksLikePointer(legacy)).isTrue();
        assertThat(new String(Pointer.parse(legacy).encode(), StandardCharsets.UTF_8)).startsWith(V);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", "", "empty input"),
                Arguments.of("no trailing LF", V + "oid sha256:OID\nsize 1", "does not end with a newline"),
                Arguments.of("CRLF", "version https://git-lfs.github.com/spec/v1\r\noid sha256:OID\r\nsize 1\r\n", "carriage return"),
                Arguments.of("blank line", V + "\noid sha256:OID\nsize 1\n", "is empty"),
                Arguments.of("version not first", "oid sha256:OID\n" + V + "size 1\n", "first key must be 'version'"),
                Arguments.of("unknown version", "version https://example.com/v2\noid sha256:OID\nsize 1\n", "unsupported version"),
                Arguments.of("unsorted keys", V + "size 1\noid sha256:OID\n", "not in sorted order"),
                Arguments.of("duplicate key", V + "oid sha256:OID\noid sha256:OID\nsize 1\n", "is repeated"),
                Arguments.of("missing oid", V + "size 1\n", "missing 'oid'"),
                Arguments.of("missing size", V + "oid sha256:OID\n", "missing 'size'"),
                Arguments.of("two spaces", V + "oid  sha256:OID\nsize 1\n", "more than one space"),
                Arguments.of("no value", V + "oid\nsize 1\n", "is not '<key> <value>'"),
                Arguments.of("uppercase key", V + "Oid sha256:OID\nsize 1\n", "[a-z0-9.-]"),
                Arguments.of("tab separator", V + "oid\tsha256:OID\nsize 1\n", "is not '<key> <value>'"),
                Arguments.of("other hash", V + "oid sha1:OID\nsize 1\n", "oid must be 'sha256:"),
                Arguments.of("uppercase hex", V + "oid sha256:UOID\nsize 1\n", "64 lowercase hex"),
                Arguments.of("short hex", V + "oid sha256:abc\nsize 1\n", "64 lowercase hex"),
                Arguments.of("negative size", V + "oid sha256:OID\nsize -1\n", "size must be"),
                Arguments.of("leading zero", V + "oid sha256:OID\nsize 01\n", "size must be"),
                Arguments.of("size with plus", V + "oid sha256:OID\nsize +1\n", "size must be"),
                Arguments.of("size overflow", V + "oid sha256:OID\nsize 9999999999999999999\n", "too large"),
                Arguments.of("trailing space", V + "oid sha256:OID\nsize 1 \n", "size must be"),
                Arguments.of("version twice", V + "oid sha256:OID\nsize 1\nversion x\n", "only on the first line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedPointers(String name, String template, String expected) {
        byte[] data = expand(template);
        assertThatThrownBy(() -> Pointer.parse(data))
                .isInstanceOf(PointerFormatException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void rejectsOversizedAndNonUtf8Input() {
        String big = V + "oid sha256:" + OID + "\nsize 1\nzz " + "x".repeat(1000) + "\n";
        assertThatThrownBy(() -> Pointer.parse(big.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PointerFormatException.class).hasMessageContaining("smaller than 1024");
        byte[] bad = (V + "oid sha256:" + OID + "\nsize 1\nzz \u00e9\n").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 3] = (byte) 0xff;
        assertThatThrownBy(() -> Pointer.parse(bad))
                .isInstanceOf(PointerFormatException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void looksLikePointerIsCheapAndConservative() throws IOException {
        assertThat(Pointer.looksLikePointer(golden("pointer-basic.txt"))).isTrue();
        assertThat(Pointer.looksLikePointer("version https://git-lfs.github.com/spec/v1x\n".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(Pointer.looksLikePointer("hello world".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(Pointer.looksLikePointer(new byte[0])).isFalse();
        byte[] big = new byte[2048];
        System.arraycopy(golden("pointer-basic.txt"), 0, big, 0, 50);
        assertThat(Pointer.looksLikePointer(big)).as("1024 bytes or more is never a pointer").isFalse();
    }

    @Test
    void constructorRejectsBadExtraKeys() {
        Oid oid = Oid.fromHex(OID);
        assertThatThrownBy(() -> new Pointer(oid, 1, Map.of("size", "2"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pointer(oid, 1, Map.of("Bad", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pointer(oid, 1, Map.of("ok", "a\nb"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pointer(oid, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] expand(String template) {
        return template.replace("UOID", OID.toUpperCase()).replace("OID", OID).getBytes(StandardCharsets.UTF_8);
    }
}
