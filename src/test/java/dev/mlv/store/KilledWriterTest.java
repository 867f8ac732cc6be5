package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.Slow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL in the middle of a put leaves only temp files and
 * complete, valid packs: readers never see a partial object.
 */
@Slow
class KilledWriterTest {
    @TempDir
    Path dir;

    static final StoreOptions OPTIONS = StoreOptions.defaults().withPackSize(256 * 1024);

    /** Child process: puts an endless stream of random data until killed. */
    public static void main(String[] args) throws IOException {
        try (ChunkStore store = ChunkStore.open(Path.of(args[0]), OPTIONS)) {
            Random random = new Random(1);
            store.put(new InputStream() {
                @Override
                public int read() {
                    return random.nextInt(256);
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    byte[] chunk = new byte[len];
                    random.nextBytes(chunk);
                    System.arraycopy(chunk, 0, b, off, len);
                    return len;
                }
            });
        }
    }

    @Test
    void killedWriterLeavesOnlyTempFilesAndAValidStore() throws Exception {
        ChunkStore.init(dir, OPTIONS).close();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", classpath,
                KilledWriterTest.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count("packs") < 3 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("writer still running when killed").isTrue();
            assertThat(count("packs")).isGreaterThanOrEqualTo(3);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        List<String> outsideTmp;
        try (Stream<Path> all = Files.walk(dir)) {
            outsideTmp = all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith("tmp/")).toList();
        }
        assertThat(outsideTmp).allMatch(p -> p.equals("config.json") || p.startsWith("packs/") || p.startsWith("index/"));
        try (ChunkStore store = ChunkStore.open(dir, OPTIONS)) {
            VerifyReport report = store.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.packs()).isGreaterThanOrEqualTo(3);
            assertThat(store.list()).isEmpty();
            // The store stays usable: a later put works and verifies.
            PutResult r = store.put(new java.io.ByteArrayInputStream(StoreTestData.random(3, 700_000)));
            assertThat(store.verify(r.pointer().oid()).ok()).isTrue();
        }
    }

    private long count(String sub) throws IOException {
        Path d = dir.resolve(sub);
        if (!Files.exists(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }
}
