package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.experiment.MetricCell;
import dev.mlv.core.experiment.MetricsShow;
import dev.mlv.core.promotion.History;
import dev.mlv.testing.GitCli;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's read paths on the repositories a serving app meets besides a plain clone: a bare
 * repository that mlv pushed to (a server's), a {@code git clone --bare}, and a linked work tree
 * ({@code git worktree add}). Repositories are made with mlv and the real git.
 */
@Timeout(180)
class RepositoryLayoutsTest {
    private static final String FILTER = GitCli.javaCommand("dev.mlv.cli.Main", "filter-process");

    @TempDir
    Path root;
    private Path work;
    private Path store;
    private Path server;
    private GitCli git;
    private byte[] model;

    @BeforeEach
    void pushedRepository() throws Exception {
        assumeTrue(GitCli.available(), "git is not on PATH");
        git = new GitCli(Files.createDirectories(root.resolve("home")), root.resolve("scratch"));
        server = root.resolve("server.git");
        git.run(root, "init", "-q", "--bare", "-b", "main", server.toString()).assertOk();
        store = Files.createDirectories(root.resolve("store"));
        ok(root, "init", "work");
        work = root.resolve("work");
        ok(work, "remote", "add", "origin", server.toString());
        ok(work, "store", "remote", "set", "origin", store.toString());
        model = new byte[600_000];
        new Random(11).nextBytes(model);
        Files.write(work.resolve("models/model.onnx"), model);
        Files.writeString(work.resolve("models/labels.txt"), "cat\ndog\n");
        Files.createDirectories(work.resolve("metrics"));
        Files.writeString(work.resolve("metrics/metrics.json"), "{\"accuracy\": 0.91, \"eval\": {\"f1\": 0.8}}");
        Files.writeString(work.resolve("serve.py"), "print('serve')\n");
        ok(work, "train-commit", "-m", "v1");
        ok(work, "promote", "main", "prod", "--create");
        ok(work, "push", "origin", "--all");
    }

    @Test
    void aBareRepositoryPushedToServesFilesMetricsAndHistory() throws Exception {
        try (MlvRepository repo = MlvRepository.open(server)) {
            assertThat(repo.isBare()).isTrue();
            assertThat(repo.directory()).isEqualTo(server.toRealPath());
            assertServes(repo);
            // the configuration is HEAD's: it named the store remote the content came from
            assertThat(StoreRemote.pick(repo.config(), null).url()).isEqualTo(store.toString());
            assertThat(Files.isDirectory(server.resolve("mlv/store"))).as("fetched into the bare repository's store").isTrue();
            assertThatThrownBy(repo::workTree)
                    .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.USAGE))
                    .hasMessageContaining("bare repository");
        }
    }

    @Test
    void aGitCloneBareIsFoundFromInsideIt() throws Exception {
        Path clone = root.resolve("clone.git");
        git.run(root, "clone", "-q", "--bare", work.toString(), clone.toString()).assertOk();
        try (MlvRepository repo = MlvRepository.open(clone.resolve("refs"))) {
            assertThat(repo.isBare()).isTrue();
            assertThat(repo.gitDir()).isEqualTo(clone.toRealPath());
            assertServes(repo);
        }
    }

    @Test
    void aBareGitRepositoryWithoutMlvIsNotOne() throws Exception {
        Path plain = root.resolve("plain.git");
        git.run(root, "init", "-q", "--bare", plain.toString()).assertOk();
        assertThatThrownBy(() -> MlvRepository.open(plain))
                .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("bare Git repository without mlv content");
    }

    @Test
    void aLinkedWorkTreeSharesTheMainRepositorysStore() throws Exception {
        git.run(work, "config", "filter.mlv.process", FILTER).assertOk();
        Path linked = root.resolve("linked");
        // git checks the files out through mlv's filter, which must find the main repository's store
        git.run(work, "worktree", "add", "-q", "-b", "exp", linked.toString()).assertOk();
        assertThat(Files.readAllBytes(linked.resolve("models/model.onnx"))).isEqualTo(model);

        try (MlvRepository repo = MlvRepository.open(linked.resolve("models"))) {
            assertThat(repo.isBare()).isFalse();
            assertThat(repo.workTree()).isEqualTo(linked.toRealPath());
            assertThat(repo.commonDir()).isEqualTo(work.resolve(".git").toRealPath());
            assertThat(repo.gitDir()).isEqualTo(work.resolve(".git/worktrees/linked").toRealPath());
            assertServes(repo);
        }

        // a model committed in the linked work tree is readable from the main one: one store
        byte[] v2 = Arrays.copyOf(model, model.length + 1000);
        Files.write(linked.resolve("models/model.onnx"), v2);
        ok(linked, "train-commit", "-m", "v2");
        assertThat(work.resolve(".git/worktrees/linked/mlv/store")).doesNotExist();
        try (MlvRepository main = MlvRepository.open(work); InputStream in = main.open("exp", "models/model.onnx")) {
            assertThat(in.readAllBytes()).isEqualTo(v2);
        }
        assertThat(git.run(linked, "status", "--porcelain").assertOk().out()).isEmpty();

        // and 'mlv install' there configures the filter where git reads it: the shared config
        ok(linked, "install");
        assertThat(git.run(linked, "config", "filter.mlv.process").assertOk().out().strip()).isNotEqualTo(FILTER);
        assertThat(work.resolve(".git/worktrees/linked/config")).doesNotExist();
    }

    /** What a serving app reads: prod's files, a model streamed and by range, metrics and history. */
    private void assertServes(MlvRepository repo) throws Exception {
        List<RepoFile> models = repo.list("prod", "models/");
        assertThat(models).extracting(RepoFile::path).containsExactly("models/.gitkeep", "models/labels.txt", "models/model.onnx");
        RepoFile onnx = models.get(2);
        assertThat(onnx.large()).isTrue();
        assertThat(onnx.size()).isEqualTo(model.length);
        // by range first: a bare server repository fetches the content from the store remote here
        try (SeekableByteChannel ch = repo.openChannel("prod", "models/model.onnx")) {
            ByteBuffer buf = ByteBuffer.allocate(100);
            ch.position(500_000).read(buf);
            assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(model, 500_000, 500_100));
        }
        try (InputStream in = onnx.open()) {
            assertThat(in.readAllBytes()).isEqualTo(model);
        }
        assertThat(repo.list("prod", "")).extracting(RepoFile::path).contains(".mlv/config.json", "serve.py");
        try (InputStream in = repo.open("prod", "serve.py")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("print('serve')\n");
        }

        Map<String, MetricCell> metrics = new MetricsShow(repo).setRefs(List.of("prod")).call().values(0);
        assertThat(metrics.keySet()).containsExactly("accuracy", "eval.f1");
        assertThat(metrics.get("accuracy").shown()).isEqualTo("0.91");

        List<History.Entry> history = new History(repo).call("prod").promotions();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).number()).isEqualTo(1);
        assertThat(history.get(0).source()).isEqualTo("main");
        assertThat(history.get(0).commit()).isEqualTo(onnx.commit());
    }

    private static void ok(Path dir, String... args) {
        CliHarness.Result r = new CliHarness(dir).run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }
}
