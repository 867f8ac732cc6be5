package dev.mlv.core.remote;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.cli.CliHarness;
import dev.mlv.store.BackendUnreachableException;
import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.ForwardingBackend;
import dev.mlv.testing.LogCapture;
import dev.mlv.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store remote that fails mid-push: no ref is pushed, and the next push sends only what is missing. */
class PushFaultTest {
    private static final int SIZE = 2 << 20;

    @TempDir
    Path root;
    CliHarness mlv;
    Path bare;
    Path store;
    byte[] model;

    @BeforeEach
    void setUp() throws Exception {
        mlv = new CliHarness(root);
        bare = root.resolve("origin.git");
        try (Git ignored = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
            // the Git host
        }
        store = Files.createDirectories(root.resolve("store"));
        ok("init", "a");
        ok("-C", "a", "remote", "add", "origin", bare.toString());
        ok("-C", "a", "store", "remote", "set", "origin", store.toString());
        model = new byte[SIZE];
        new Random(21).nextBytes(model);
        Files.write(root.resolve("a/models/model.bin"), model);
        ok("-C", "a", "train-commit", "-m", "v1");
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private MlvRepository open() throws MlvException {
        return MlvRepository.open(root.resolve("a"), new Session(Clock.systemUTC(), Map.of()));
    }

    @Test
    @Slow
    void aServerThatDiesAfterThePackKeepsTheRefsAndTheRerunSendsOnlyTheManifest() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        try (MlvRepository repo = open(); LogCapture retries = LogCapture.of("dev.mlv.store.Retry")) {
            // writes: config.json, the pack, its index; the manifest is the 4th and never arrives
            Push push = new Push(repo).setBackendWrapper(b -> new FailingBackend(b, writes, 3, Integer.MAX_VALUE));
            assertThatThrownBy(push::call).isInstanceOfSatisfying(MlvException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.REMOTE_UNREACHABLE));
            assertThat(retries.lines()).as("only the manifest's upload was retried").isNotEmpty()
                    .allSatisfy(l -> assertThat(l).startsWith("WARN upload manifests/"));
        }
        assertThat(remoteRef("refs/heads/main")).as("content first, refs second").isNull();
        assertThat(files(store, "packs")).hasSize(1);
        assertThat(files(store, "index")).hasSize(1);
        assertThat(files(store, "manifests")).isEmpty();

        JsonNode rerun = new ObjectMapper().readTree(ok("-C", "a", "push", "--json").stdout());
        assertThat(rerun.path("content").path("chunksSkipped").asLong()).isPositive();
        assertThat(rerun.path("content").path("chunks").asLong()).isZero();
        assertThat(rerun.path("content").path("bytes").asLong()).as("only the manifest").isLessThan(SIZE / 100);
        assertThat(remoteRef("refs/heads/main")).isNotNull();

        ok("clone", bare.toString(), "b");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(model);
    }

    @Test
    void aTransientFailureIsRetried() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        try (MlvRepository repo = open(); LogCapture retries = LogCapture.of("dev.mlv.store.Retry")) {
            // the pack upload fails once, then the server recovers
            Push.Result r = new Push(repo).setBackendWrapper(b -> new FailingBackend(b, writes, 1, 2)).call();
            assertThat(r.content().files()).isEqualTo(1);
            assertThat(retries.lines()).singleElement().asString()
                    .startsWith("WARN upload packs/").contains("failed (attempt 1 of");
        }
        assertThat(remoteRef("refs/heads/main")).isNotNull();
    }

    private String remoteRef(String ref) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
            var r = git.exactRef(ref);
            return r == null ? null : r.getObjectId().name();
        }
    }

    private static List<Path> files(Path dir, String sub) throws IOException {
        if (!Files.isDirectory(dir.resolve(sub))) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir.resolve(sub))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /**
     * Lets {@code okWrites} writes of content through, then fails those numbered up to
     * {@code failUntil} as unreachable.
     */
    private static final class FailingBackend extends ForwardingBackend {
        private final AtomicInteger writes;
        private final int okWrites;
        private final int failUntil;

        FailingBackend(Backend delegate, AtomicInteger writes, int okWrites, int failUntil) {
            super(delegate);
            this.writes = writes;
            this.okWrites = okWrites;
            this.failUntil = failUntil;
        }

        private void maybeFail(String key) throws IOException {
            if (key.startsWith("locks/")) {
                return; // the store remote's lock: not content, not counted
            }
            int n = writes.incrementAndGet();
            if (n > okWrites && n <= failUntil) {
                throw new BackendUnreachableException("write '" + key + "' failed: connection reset (injected)");
            }
        }

        @Override
        public void write(String key, byte[] data) throws IOException {
            maybeFail(key);
            delegate.write(key, data);
        }

        @Override
        public void writeFile(String key, Path file) throws IOException {
            try {
                maybeFail(key);
            } catch (IOException e) {
                Files.deleteIfExists(file); // a backend consumes its file either way
                throw e;
            }
            delegate.writeFile(key, file);
        }
    }
}
