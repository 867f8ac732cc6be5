package dev.mlv.store;

import dev.mlv.store.chunk.SplitMix64;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The golden format fixtures in {@code src/test/resources/golden/format/} (see the README.md
 * there): a store and the pointers of a repository, written by today's code from seeded input.
 * This class holds that input and the one way the store part is written, so the tests that check
 * the fixtures and the regeneration run ({@code -Dmlv.regenerateGolden=true}) cannot drift apart.
 *
 * <p>Nothing in what is written depends on time or chance: packs, indexes and manifests are named
 * by content and hold no timestamps, and the random names of staging files under {@code tmp/}
 * never reach a published object. The zstd frames in the packs do depend on the zstd-jni version,
 * which is why {@code PackFormatGoldenTest} also rebuilds each pack from its own stored bytes.
 */
public final class GoldenFixtures {
    /** Fixture root on the test class path, and in the source tree (where regeneration writes). */
    public static final String RESOURCE = "golden/format";
    public static final Path SOURCE = Path.of("src/test/resources", RESOURCE);
    /** The property that turns the fixture tests into writers of the fixtures. */
    public static final String REGENERATE = "mlv.regenerateGolden";

    /** A large file of the fixture repository: its work-tree path and its content. */
    public record FixtureFile(String path, byte[] content) {
    }

    private static final int RANDOM_HEAD = 40 << 10;
    private static final int LOG_TEXT = 72 << 10;
    private static final int RANDOM_TAIL = 120 << 10;
    private static final int EDIT_AT = RANDOM_HEAD + LOG_TEXT + (60 << 10);
    private static final int EDIT_LENGTH = 32;
    private static final int APPENDED = 3000;

    private GoldenFixtures() {
    }

    public static boolean regenerating() {
        return Boolean.getBoolean(REGENERATE);
    }

    /**
     * The files, in the order they are put: a base model (random bytes around a training log that
     * zstd compresses, so the pack holds entries of both kinds), a tuned version of it (32 bytes
     * changed near the end and 3000 appended: it shares the leading chunks) and an empty file.
     */
    public static List<FixtureFile> files() {
        return List.of(new FixtureFile("models/base.bin", base()), new FixtureFile("models/tuned.bin", tuned()),
                new FixtureFile("models/empty.bin", new byte[0]));
    }

    static byte[] base() {
        byte[] out = new byte[RANDOM_HEAD + LOG_TEXT + RANDOM_TAIL];
        System.arraycopy(SplitMix64.bytes(0x6d6c7601L, RANDOM_HEAD), 0, out, 0, RANDOM_HEAD);
        System.arraycopy(trainingLog(0x6d6c7602L, LOG_TEXT), 0, out, RANDOM_HEAD, LOG_TEXT);
        System.arraycopy(SplitMix64.bytes(0x6d6c7603L, RANDOM_TAIL), 0, out, RANDOM_HEAD + LOG_TEXT, RANDOM_TAIL);
        return out;
    }

    static byte[] tuned() {
        byte[] base = base();
        byte[] out = Arrays.copyOf(base, base.length + APPENDED);
        System.arraycopy(SplitMix64.bytes(0x6d6c7604L, EDIT_LENGTH), 0, out, EDIT_AT, EDIT_LENGTH);
        System.arraycopy(SplitMix64.bytes(0x6d6c7605L, APPENDED), 0, out, base.length, APPENDED);
        return out;
    }

    /** Lines such as {@code epoch 3 step 1200 loss 0.4817}, cut to {@code size} bytes. */
    private static byte[] trainingLog(long seed, int size) {
        SplitMix64 rng = new SplitMix64(seed);
        StringBuilder text = new StringBuilder(size + 64);
        for (int step = 0; text.length() < size; step += 50) {
            text.append("epoch ").append(step / 1000).append(" step ").append(step)
                    .append(" loss 0.").append(1000 + rng.nextInt(9000))
                    .append(" acc 0.").append(1000 + rng.nextInt(9000)).append('\n');
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes the fixture store to {@code dir/store} with today's writers and default options, and
     * each file's pointer to {@code dir/repo/<path>}. The repository's {@code .mlv/config.json} is
     * written by {@code dev.mlv.golden.MlvConfigFormatGoldenTest} (it needs {@code dev.mlv.core}).
     */
    public static void write(Path dir) throws IOException {
        Path storeDir = dir.resolve("store");
        try (ChunkStore store = ChunkStore.init(storeDir, StoreOptions.defaults())) {
            for (FixtureFile f : files()) {
                PutResult put = store.put(new ByteArrayInputStream(f.content()));
                Path pointer = dir.resolve("repo").resolve(f.path());
                Files.createDirectories(pointer.getParent());
                Files.write(pointer, put.pointer().encode());
            }
        }
    }

    /** The fixture root as the tests see it (a copy on the test class path). */
    public static Path root() {
        URL url = GoldenFixtures.class.getResource("/" + RESOURCE);
        if (url == null) {
            throw new IllegalStateException(RESOURCE + " is not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every regular file under {@code dir} except the local backend's {@code tmp/}, keyed by its
     * {@code /}-separated path relative to {@code dir}, in sorted order.
     */
    public static SortedMap<String, byte[]> tree(Path dir) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String key = dir.relativize(p).toString().replace('\\', '/');
                if (Files.isRegularFile(p) && !key.startsWith("tmp/")) {
                    files.put(key, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    /** Copies every file of {@link #tree} under {@code from} to {@code to}; returns {@code to}. */
    public static Path copy(Path from, Path to) throws IOException {
        for (var e : tree(from).entrySet()) {
            Path target = to.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, e.getValue());
        }
        return to;
    }

    /**
     * Fails unless {@code written} equals the fixture's bytes, saying where they first differ (a
     * hex dump of a 200 KiB pack would say nothing).
     */
    public static void assertSameBytes(String what, byte[] fixture, byte[] written) {
        int at = Arrays.mismatch(fixture, written);
        if (at >= 0) {
            String lengths = fixture.length == written.length ? ""
                    : "; " + written.length + " bytes written, " + fixture.length + " in the fixture";
            throw new AssertionError(what + " differs from the golden fixture: first at byte " + at + " (fixture "
                    + byteAt(fixture, at) + ", written " + byteAt(written, at) + ")" + lengths);
        }
    }

    private static String byteAt(byte[] b, int at) {
        return at < b.length ? String.format("0x%02x", b[at] & 0xff) : "past the end";
    }
}
