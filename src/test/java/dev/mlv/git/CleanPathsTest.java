package dev.mlv.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.Pointer;
import dev.mlv.testing.GitSandbox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clean rule ({@link CleanRule}) on every path in this package that turns a large file's bytes
 * into a Git blob: git's filter process, JGit's built-in filter (JGit's add and status), and the
 * stager of train-commit. Each input is either kept (the blob is the input, byte for byte, and
 * nothing is stored) or stored (the blob is the pointer of the input, whose bytes are in the
 * store). {@code RecordTest} and {@code ImportLfsCommandTest} hold the same rule for record and
 * import-lfs.
 */
@Timeout(60)
class CleanPathsTest {
    private static final String VERSION_LINE = "version " + Pointer.VERSION + "\n";

    @TempDir
    Path temp;

    private final FilterProcessMemoryStore store = new FilterProcessMemoryStore();

    /** The ways a large file's bytes become a blob. */
    enum CleanPath { FILTER_PROCESS, JGIT_FILTER, STAGER }

    enum Outcome { KEPT, STORED }

    static Stream<Arguments> cases() {
        byte[] content = random(10, 1);
        String oid = FilterProcessMemoryStore.sha256(content).hex();
        byte[] pointer = FilterProcessMemoryStore.pointerOf(content).encode();
        byte[] extended = new Pointer(FilterProcessMemoryStore.sha256(content), content.length,
                Map.of("ext-0-foo", "sha256:" + oid, "x-origin", "another tool")).encode();
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"a valid pointer", pointer, Outcome.KEPT});
        rows.add(new Object[] {"a pointer with unknown keys", extended, Outcome.KEPT});
        rows.add(new Object[] {"a pointer of the largest size, 1023 bytes", padded(oid, 1023), Outcome.KEPT});
        rows.add(new Object[] {"a well-formed pointer of 1024 bytes, one too many", padded(oid, 1024), Outcome.STORED});
        rows.add(new Object[] {"a pointer with unsorted keys", ascii(VERSION_LINE + "size 10\noid sha256:" + oid + "\n"),
                Outcome.STORED});
        rows.add(new Object[] {"a pointer with a leading zero in its size",
                ascii(VERSION_LINE + "oid sha256:" + oid + "\nsize 010\n"), Outcome.STORED});
        rows.add(new Object[] {"a pointer with CRLF line ends",
                ascii(new String(pointer, StandardCharsets.UTF_8).replace("\n", "\r\n")), Outcome.STORED});
        rows.add(new Object[] {"a pointer followed by an empty line", concat(pointer, ascii("\n")), Outcome.STORED});
        rows.add(new Object[] {"a pointer followed by bytes without a newline", concat(pointer, ascii("trailing")),
                Outcome.STORED});
        rows.add(new Object[] {"a pointer missing its final newline",
                Arrays.copyOf(pointer, pointer.length - 1), Outcome.STORED});
        rows.add(new Object[] {"only a version line", ascii(VERSION_LINE), Outcome.STORED});
        rows.add(new Object[] {"a small text file", ascii("hello, model\n"), Outcome.STORED});
        rows.add(new Object[] {"a binary file", random(5000, 2), Outcome.STORED});
        rows.add(new Object[] {"a binary file over several filter packets", random(200_000, 3), Outcome.STORED});
        List<Arguments> all = new ArrayList<>();
        for (CleanPath path : CleanPath.values()) {
            for (Object[] row : rows) {
                all.add(Arguments.of(path, row[0], row[1], row[2]));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void keepsPointersAndStoresEverythingElse(CleanPath path, String what, byte[] input, Outcome outcome)
            throws Exception {
        byte[] blob = clean(path, input);
        if (outcome == Outcome.KEPT) {
            assertThat(blob).as("blob of %s", what).isEqualTo(input);
            assertThat(store.puts).as("puts").isZero();
        } else {
            assertThat(blob).as("blob of %s", what).isEqualTo(FilterProcessMemoryStore.pointerOf(input).encode());
            assertThat(store.contents.get(FilterProcessMemoryStore.sha256(input))).isEqualTo(input);
        }
    }

    @ParameterizedTest
    @EnumSource(CleanPath.class)
    void anEmptyFileIsAnEmptyBlobAndStoresNothing(CleanPath path) throws Exception {
        assertThat(clean(path, new byte[0])).isEmpty();
        assertThat(store.puts).isZero();
        assertThat(store.contents).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CleanPath.class)
    void aPointerWithALegacyVersionUrlIsKeptAsItIs(CleanPath path) throws Exception {
        // The stager once committed the canonical encoding instead, so git and mlv disagreed
        // about the blob of the same file.
        byte[] content = random(10, 4);
        Pointer canonical = FilterProcessMemoryStore.pointerOf(content);
        byte[] legacy = ascii(new String(canonical.encode(), StandardCharsets.UTF_8)
                .replace(Pointer.VERSION, Pointer.LEGACY_VERSIONS.get(0)));
        assertThat(clean(path, legacy)).isEqualTo(legacy);
        assertThat(store.puts).isZero();
    }

    /** The blob {@code path} makes of a file {@code input}. */
    private byte[] clean(CleanPath path, byte[] input) throws Exception {
        return switch (path) {
            case FILTER_PROCESS -> filterProcess(input);
            case JGIT_FILTER, STAGER -> inRepository(path, input);
        };
    }

    private byte[] filterProcess(byte[] input) throws IOException {
        FilterProcessGitSide git = new FilterProcessGitSide().handshake().request("clean", "models/m.bin", input);
        ByteArrayOutputStream toGit = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new FilterProcess(store, new ByteArrayInputStream(git.bytes()), toGit, new PrintStream(err, true)).run();
        FilterProcessGitSide.Reader reader = new FilterProcessGitSide.Reader(new ByteArrayInputStream(toGit.toByteArray()));
        reader.list();
        reader.list();
        byte[] blob = reader.success();
        assertThat(reader.atEnd()).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return blob;
    }

    private byte[] inRepository(CleanPath path, byte[] input) throws Exception {
        GitSandbox.install();
        Path work = temp.resolve("work");
        Git.init().setDirectory(work.toFile()).setInitialBranch("main").call().close();
        Files.writeString(work.resolve(".gitattributes"), "*.bin filter=mlv -text\n");
        Files.createDirectories(work.resolve("models"));
        Files.write(work.resolve("models/m.bin"), input);
        try (MlvGitRepository repo = MlvGitRepository.open(work.resolve(".git"), store)) {
            if (path == CleanPath.STAGER) {
                new Stager(repo).stageAll();
            } else {
                try (Git git = new Git(repo)) {
                    git.add().addFilepattern(".").call();
                }
            }
            DirCacheEntry entry = repo.readDirCache().getEntry("models/m.bin");
            assertThat(entry).isNotNull();
            return repo.open(entry.getObjectId()).getBytes();
        }
    }

    /** A well-formed pointer, but for its length: padded with an extra key to exactly {@code size} bytes. */
    static byte[] padded(String oid, int size) {
        String base = VERSION_LINE + "oid sha256:" + oid + "\nsize 10\nx-pad ";
        byte[] bytes = ascii(base + "a".repeat(size - base.length() - 1) + "\n");
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
