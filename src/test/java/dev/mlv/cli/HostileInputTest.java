package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import dev.mlv.testing.RawCommits;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile repository content and arguments never escape the work tree, crash mlv or allocate
 * what a pointer claims: each gets a one-line error with the documented exit code, and leaves
 * the repository, work tree and store exactly as they were.
 */
class HostileInputTest {
    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;
    byte[] model;
    String modelOid;

    @BeforeEach
    void init() throws Exception {
        repo = root.resolve("proj");
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        mlv = new CliHarness(repo);
        model = new byte[100_000];
        new Random(3).nextBytes(model);
        modelOid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        Files.write(repo.resolve("models/model.bin"), model);
        CliHarness.Result r = mlv.run("train-commit", "-m", "model");
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** Every file of the repository (Git's objects aside, which are append-only) and its hash. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(p).toString();
                if (!rel.contains(".git/objects/") && !rel.contains(".home")) {
                    files.put(rel, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
                }
            }
        }
        return files;
    }

    /** Runs mlv expecting {@code exit}, one line on stderr, and nothing changed on disk. */
    private CliHarness.Result refused(int exit, String... args) throws Exception {
        Map<String, String> before = snapshot();
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        assertThat(r.stderr().lines().toList()).as(r.toString()).hasSize(1).allMatch(l -> l.startsWith("mlv: "));
        assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("bug");
        assertThat(snapshot()).as("nothing changed").isEqualTo(before);
        return r;
    }

    /** Commits a tree built by {@code tree} on {@code branch}, bypassing every check a porcelain makes. */
    private void commitRawTree(String branch, TreeFormatter tree) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build();
             ObjectInserter ins = git.newObjectInserter()) {
            ObjectId treeId = ins.insert(tree);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(treeId);
            c.setParentId(git.resolve("main"));
            PersonIdent who = new PersonIdent("Mallory", "m@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("hostile\n");
            ObjectId commit = ins.insert(c);
            ins.flush();
            RefUpdate u = git.updateRef(Constants.R_HEADS + branch);
            u.setNewObjectId(commit);
            assertThat(u.forceUpdate()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED);
        }
    }

    /** A tree holding one blob at {@code models/<name>}. */
    private void commitBlob(String branch, String name, String content) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build();
             ObjectInserter ins = git.newObjectInserter()) {
            TreeFormatter models = new TreeFormatter();
            models.append(name, FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
            TreeFormatter top = new TreeFormatter();
            top.append("models", FileMode.TREE, ins.insert(models));
            ins.flush();
            commitRawTree(branch, top);
        }
    }

    @Test
    void aTreeNamingDotDotOrDotGitIsNeverCheckedOut() throws Exception {
        for (String evil : new String[] {"..", ".git", ".GIT"}) {
            try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build();
                 ObjectInserter ins = git.newObjectInserter()) {
                TreeFormatter inner = new TreeFormatter();
                inner.append("escaped.txt", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, "owned\n".getBytes(StandardCharsets.UTF_8)));
                TreeFormatter top = new TreeFormatter();
                top.append(evil, FileMode.TREE, ins.insert(inner));
                ins.flush();
                commitRawTree("evil", top);
            }
            CliHarness.Result r = refused(6, "switch", "evil");
            assertThat(r.stderr()).contains("not allowed in a work tree").contains("nothing was changed");
            assertThat(root.resolve("escaped.txt")).doesNotExist();
            assertThat(repo.resolve(".git/escaped.txt")).doesNotExist();
        }
        refused(2, "cat", "evil:../escaped.txt");
        refused(2, "cat", "main:models/../../etc/passwd");
    }

    @Test
    void aPointerOneByteOffIsRefusedBeforeSwitchMovesAnything() throws Exception {
        commitBlob("off", "model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + modelOid
                + "\nsize " + (model.length + 1) + "\n");
        CliHarness.Result r = refused(6, "switch", "off");
        assertThat(r.stderr()).contains("models/model.bin").contains(modelOid).contains(String.valueOf(model.length + 1));
        assertThat(Files.readAllBytes(repo.resolve("models/model.bin"))).isEqualTo(model);
    }

    @Test
    void promoteRefusesASourceTreeThatCouldNotBeCheckedOut() throws Exception {
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build();
             ObjectInserter ins = git.newObjectInserter()) {
            TreeFormatter config = new TreeFormatter();
            config.append("config", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, "[core]\n".getBytes(StandardCharsets.UTF_8)));
            TreeFormatter models = new TreeFormatter();
            models.append(".GIT", FileMode.TREE, ins.insert(config));
            TreeFormatter top = new TreeFormatter();
            top.append("models", FileMode.TREE, ins.insert(models));
            ins.flush();
            commitRawTree("nested", top);
        }
        CliHarness.Result r = refused(6, "promote", "nested", "prod", "--create");
        assertThat(r.stderr()).contains("models/.GIT").contains("not allowed in a work tree");
    }

    @Test
    void pullChecksTheIncomingTreeBeforeTheBranchMoves() throws Exception {
        Path bare = root.resolve("origin.git");
        try (org.eclipse.jgit.api.Git g = org.eclipse.jgit.api.Git.init().setBare(true).setDirectory(bare.toFile()).call()) {
            assertThat(g.getRepository().isBare()).isTrue();
        }
        assertThat(mlv.run("remote", "add", "origin", bare.toString()).exitCode()).isZero();
        assertThat(mlv.run("store", "remote", "set", "origin", root.resolve("store").toString()).exitCode()).isZero();
        Files.createDirectories(root.resolve("store"));
        assertThat(mlv.run("train-commit", "-m", "store remote").exitCode()).isZero();
        CliHarness.Result push = mlv.run("push", "origin", "main");
        assertThat(push.exitCode()).as(push.toString()).isZero();
        String before;
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build()) {
            before = git.resolve("refs/heads/main").name();
        }
        String[][] evils = {
            {"..", "escaped.txt", "owned\n"},
            {"models", "model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + modelOid
                    + "\nsize " + (model.length - 1) + "\n"},
        };
        for (String[] evil : evils) {
            RawCommits.commit(bare, "main", before, RawCommits.file(evil[0], evil[1], evil[2]));
            CliHarness.Result pull = mlv.run("pull");
            assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(6);
            assertThat(pull.stderr().lines().toList()).hasSize(1);
            try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build()) {
                assertThat(git.resolve("refs/heads/main").name()).as("the branch did not move").isEqualTo(before);
            }
            assertThat(Files.readAllBytes(repo.resolve("models/model.bin"))).isEqualTo(model);
            assertThat(root.resolve("escaped.txt")).doesNotExist();
            CliHarness.Result status = mlv.run("status", "--json");
            assertThat(status.exitCode()).isZero();
            assertThat(status.stdout()).doesNotContain("model.bin");
        }
        // a branch whose pointer is one byte short, with the config naming the store remote: a clone
        // downloads the content, then stops before checkout
        RawCommits.commit(bare, "main", before, RawCommits.files(Map.of(
                ".mlv/config.json", Files.readString(repo.resolve(".mlv/config.json")),
                "models/model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + modelOid
                        + "\nsize " + (model.length - 1) + "\n")));
        CliHarness.Result clone = new CliHarness(root).run("clone", bare.toString(), "fresh");
        assertThat(clone.exitCode()).as(clone.toString()).isEqualTo(6);
        assertThat(clone.stderr()).contains("models/model.bin").contains(modelOid);
        assertThat(root.resolve("fresh")).doesNotExist();
    }

    @Test
    void aPointerClaimingAnAbsurdSizeIsRefusedOnRead() throws Exception {
        commitBlob("huge", "huge.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + modelOid
                + "\nsize 4611686018427387904\n");
        CliHarness.Result r = refused(6, "cat", "huge:models/huge.bin");
        assertThat(r.stderr()).contains("4611686018427387904").contains("100000");
        assertThat(r.stdoutBytes()).isEmpty();
        refused(6, "cat", "huge:models/huge.bin", "-o", root.resolve("out.bin").toString());
        CliHarness.Result fsck = mlv.run("fsck");
        assertThat(fsck.exitCode()).as(fsck.toString()).isEqualTo(6);
        assertThat(fsck.stdout()).contains("claims 4611686018427387904 bytes").contains("huge:models/huge.bin");

        commitBlob("unknown", "huge.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab".repeat(32)
                + "\nsize 4611686018427387904\n");
        refused(5, "cat", "unknown:models/huge.bin");
    }

    @Test
    void anAlmostCanonicalPointerIsReadAsRawBytes() throws Exception {
        String canonical = "version https://git-lfs.github.com/spec/v1\noid sha256:" + modelOid + "\nsize 100000\n";
        String[] near = {
            canonical.replace("\n", "\r\n"),
            canonical.replace("size 100000", "size  100000"),
            canonical.replace(modelOid, modelOid.toUpperCase()),
            canonical.replace("size 100000", "size 999999999999999999999"),
        };
        for (int i = 0; i < near.length; i++) {
            commitBlob("near" + i, "model.bin", near[i]);
            CliHarness.Result r = mlv.run("cat", "near" + i + ":models/model.bin");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo(near[i]);
        }
        CliHarness.Result fsck = mlv.run("fsck");
        assertThat(fsck.exitCode()).as(fsck.toString()).isZero();
        assertThat(fsck.stdout()).contains("looks like a pointer but is not a valid one");
    }

    @Test
    void metricsNestedTenThousandLevelsDeepCommitNothing() throws Exception {
        Files.writeString(repo.resolve("metrics/metrics.json"), "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
        CliHarness.Result r = refused(1, "train-commit", "-m", "deep");
        assertThat(r.stderr()).contains("metrics");
    }

    @Test
    void branchNamesWithDotDotOrControlCharactersAreUsageErrors() throws Exception {
        refused(2, "switch", "--create", "a..b");
        refused(2, "switch", "--create", "bell\u0007name");
        refused(2, "train-commit", "-m", "x", "--branch", "a..b");
        refused(2, "train-commit", "-m", "x", "--branch", "tab\tname");
    }
}
