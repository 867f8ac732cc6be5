package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily loop end to end: init, track, train-commit, status, switch, cat, ls-files, log. */
class DailyLoopTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void init() {
        repo = root.resolve("proj");
        mlv = new CliHarness(root);
        CliHarness.Result r = mlv.run("init", "proj");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        mlv = new CliHarness(repo);
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void aShardedCheckpointCommitsIntoAFewPacksNotOnePerFile() throws Exception {
        for (int i = 0; i < 400; i++) {
            write(String.format("models/ckpt/shard-%04d.bin", i), random(2_000 + i * 37, 500 + i));
        }
        ok("train-commit", "-m", "sharded");
        java.util.List<Path> packs;
        try (var files = Files.walk(repo.resolve(".git/mlv/store/packs"))) {
            packs = files.filter(Files::isRegularFile).toList();
        }
        assertThat(packs).as("400 files, 3.8 MB").hasSize(1);
        // their pointer blobs went into one Git pack too, not 400 loose objects; plain git reads it
        try (var gitPacks = Files.list(repo.resolve(".git/objects/pack"))) {
            assertThat(gitPacks.filter(p -> p.toString().endsWith(".pack")).count()).isEqualTo(1);
        }
        Process gitFsck = new ProcessBuilder("git", "fsck", "--strict").directory(repo.toFile()).redirectErrorStream(true).start();
        String fsckOut = new String(gitFsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gitFsck.waitFor()).as(fsckOut).isZero();
        CliHarness.Result fsck = ok("fsck", "--read-data", "--json");
        assertThat(JSON.readTree(fsck.stdout()).path("ok").asBoolean()).isTrue();
        assertThat(ok("cat", "main:models/ckpt/shard-0399.bin").stdoutBytes()).isEqualTo(random(2_000 + 399 * 37, 899));
        assertThat(ok("status", "--json").stdout()).contains("\"clean\" : true");
        // the files were stored on several threads: each path's pointer still names its own content
        for (int i = 0; i < 400; i++) {
            String pointer = new String(blob("main", String.format("models/ckpt/shard-%04d.bin", i)), StandardCharsets.UTF_8);
            assertThat(pointer).as("shard " + i).contains("oid sha256:" + sha256(random(2_000 + i * 37, 500 + i)) + "\n")
                    .contains("size " + (2_000 + i * 37) + "\n");
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void write(String path, byte[] content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
    }

    private void write(String path, String content) throws IOException {
        write(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private byte[] blob(String rev, String path) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build();
             RevWalk walk = new RevWalk(git)) {
            RevCommit c = walk.parseCommit(git.resolve(rev));
            try (TreeWalk tw = TreeWalk.forPath(git, path, c.getTree())) {
                return git.open(tw.getObjectId(0)).getBytes();
            }
        }
    }

    @Test
    void initCreatesLayoutCommitsAndIsIdempotent() throws Exception {
        assertThat(repo.resolve(".mlv/config.json")).exists();
        assertThat(Files.readString(repo.resolve(".gitattributes"))).contains("models/** filter=mlv diff=mlv merge=mlv -text");
        for (String dir : new String[] {"src", "models", "metrics", "logs", "monitoring"}) {
            assertThat(repo.resolve(dir)).isDirectory();
        }
        assertThat(repo.resolve(".git/mlv/store/config.json")).exists();
        assertThat(new String(blob("HEAD", ".mlv/config.json"), StandardCharsets.UTF_8)).contains("\"version\"");

        String attributesBefore = Files.readString(repo.resolve(".gitattributes"));
        CliHarness.Result again = ok("init", "--json");
        JsonNode doc = JSON.readTree(again.stdout());
        assertThat(doc.get("changes")).isEmpty();
        assertThat(doc.get("commit").isNull()).isTrue();
        assertThat(Files.readString(repo.resolve(".gitattributes"))).isEqualTo(attributesBefore);
        assertThat(ok("init").stdout()).contains("nothing changed");
    }

    @Test
    void filesMlvWritesGetTheUsualModeAndItsLeftoverTempFilesAreNeverCommitted() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(root.resolve("plain")));
        assertThat(Files.getPosixFilePermissions(repo.resolve(".gitattributes"))).isEqualTo(usual);
        assertThat(Files.getPosixFilePermissions(repo.resolve(".mlv/config.json"))).isEqualTo(usual);
        write("models/model.bin", random(100_000, 7));
        ok("train-commit", "-m", "first");
        ok("cat", "HEAD:models/model.bin", "-o", "out/model.bin");
        assertThat(Files.getPosixFilePermissions(repo.resolve("out/model.bin"))).isEqualTo(usual);

        // a temp file as a crash during a write would leave it: ignored by status and train-commit
        assertThat(Files.readAllLines(repo.resolve(".git/info/exclude"))).contains(".*.mlv-tmp");
        write("models/.model.bin.5f2c.mlv-tmp", random(1000, 8));
        Files.delete(repo.resolve("out/model.bin"));
        assertThat(ok("status").stdout()).doesNotContain("mlv-tmp");
        ok("train-commit", "--allow-empty", "-m", "second");
        assertThat(ok("ls-files").stdout()).doesNotContain("mlv-tmp");
    }

    @Test
    void initAdoptsAnExistingRepositoryKeepingItsHistory() throws Exception {
        Path existing = root.resolve("existing");
        try (Git git = Git.init().setDirectory(existing.toFile()).setInitialBranch("main").call()) {
            Files.writeString(existing.resolve("train.py"), "print(1)\n");
            git.add().addFilepattern("train.py").call();
            git.commit().setMessage("old work").setAuthor("A", "a@example.com").setCommitter("A", "a@example.com").call();
        }
        CliHarness.Result r = new CliHarness(existing).run("init", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.get("adoptedRepository").asBoolean()).isTrue();
        assertThat(doc.get("commit").isNull()).isTrue();
        try (Git git = Git.open(existing.toFile())) {
            assertThat(git.log().call()).extracting(RevCommit::getShortMessage).containsExactly("old work");
        }
        CliHarness.Result commit = new CliHarness(existing).run("train-commit", "-m", "adopt mlv");
        assertThat(commit.exitCode()).as(commit.toString()).isZero();
    }

    @Test
    void trackAndUntrackEditGitattributes() throws Exception {
        ok("track", "*.gguf", "checkpoints/**");
        assertThat(ok("track").stdout()).contains("*.gguf").contains("checkpoints/**");
        assertThat(ok("track", "*.gguf").stdout()).contains("already tracked");
        ok("untrack", "*.gguf");
        assertThat(ok("track").stdout()).doesNotContain("*.gguf");
        assertThat(mlv.run("untrack").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("track", "!neg").exitCode()).isEqualTo(ExitCodes.USAGE);
        String before = Files.readString(repo.resolve(".gitattributes"));
        for (String outside : new String[] {"../models/**", "./models/**", "models/../x.bin"}) {
            CliHarness.Result r = mlv.run("track", outside);
            assertThat(r.exitCode()).as(outside).isEqualTo(ExitCodes.USAGE);
            assertThat(r.stderr()).contains("never matches");
        }
        assertThat(Files.readString(repo.resolve(".gitattributes"))).isEqualTo(before);
    }

    @Test
    void trainCommitStoresLargeFilesAsPointersAndRecordsMetrics() throws Exception {
        byte[] model = random(3_000_000, 1);
        write("models/model.bin", model);
        write("metrics/metrics.json", "{\"accuracy\": 0.91, \"eval\": {\"loss\": 0.25}}");
        write("src/train.py", "print('train')\n");
        CliHarness.Result r = ok("train-commit", "-m", "first", "--json");
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.get("largeFiles").asLong()).isEqualTo(1);
        assertThat(doc.get("largeNewBytes").asLong()).isGreaterThan(2_000_000);
        assertThat(doc.get("metrics").get("accuracy").asText()).isEqualTo("0.91");

        String pointer = new String(blob("HEAD", "models/model.bin"), StandardCharsets.UTF_8);
        assertThat(pointer).isEqualTo("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256(model)
                + "\nsize 3000000\n");
        try (Git git = Git.open(repo.toFile())) {
            RevCommit head = git.log().setMaxCount(1).call().iterator().next();
            assertThat(head.getFullMessage()).startsWith("first\n\n").contains("Mlv-Metrics: accuracy=0.91 eval.loss=0.25");
        }
        // the file's content comes back byte for byte
        assertThat(ok("cat", "HEAD:models/model.bin").stdoutBytes()).isEqualTo(model);
    }

    @Test
    void secondVersionStoresOnlyChangedChunks() throws Exception {
        byte[] model = random(4_000_000, 2);
        write("models/model.bin", model);
        ok("train-commit", "-m", "v1");
        for (int i = 0; i < 4; i++) {
            model[500_000 + i * 900_000] ^= 1;
        }
        write("models/model.bin", model);
        JsonNode doc = JSON.readTree(ok("train-commit", "-m", "v2", "--json").stdout());
        assertThat(doc.get("largeNewBytes").asLong()).isLessThan(model.length / 5);
        assertThat(ok("cat", "HEAD:models/model.bin").stdoutBytes()).isEqualTo(model);
    }

    @Test
    void nothingToCommitIsAnErrorUnlessAllowEmpty() {
        CliHarness.Result r = mlv.run("train-commit", "-m", "nothing");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.stderr()).contains("nothing to commit").contains("--allow-empty");
        ok("train-commit", "-m", "empty", "--allow-empty");
    }

    @Test
    void invalidMetricsJsonCommitsNothingAndNamesTheFile() throws Exception {
        write("metrics/metrics.json", "{\"accuracy\": 0.9,\n \"loss\": }");
        write("models/m.bin", random(1000, 3));
        String before = headId();
        CliHarness.Result r = mlv.run("train-commit", "-m", "bad");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.stderr()).contains("metrics/metrics.json").contains("line 2");
        assertThat(headId()).isEqualTo(before);
    }

    @Test
    void runRecordsTheCommandLogAndRunJson() throws Exception {
        CliHarness.Result r = ok("train-commit", "-m", "trained", "--json", "--run", "--",
                "sh", "-c", "echo training; mkdir -p metrics; echo '{\"accuracy\": 0.8}' > metrics/metrics.json");
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.get("run").get("exitCode").asInt()).isZero();
        assertThat(r.stderr()).contains("training");
        assertThat(Files.readString(repo.resolve("logs/train.log"))).isEqualTo("training\n");
        JsonNode run = JSON.readTree(blob("HEAD", "logs/run.json"));
        assertThat(run.get("command").get(0).asText()).isEqualTo("sh");
        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(run.get("codeCommit").asText()).hasSize(40);
        assertThat(run.get("environment").get("cpus").asInt()).isPositive();
        try (Git git = Git.open(repo.toFile())) {
            String message = git.log().setMaxCount(1).call().iterator().next().getFullMessage();
            assertThat(message).contains("Mlv-Run: sh -c").contains("Mlv-Metrics: accuracy=0.8");
        }
    }

    @Test
    void failingRunCommitsNothingUnlessKeepFailed() throws Exception {
        String before = headId();
        CliHarness.Result r = mlv.run("train-commit", "-m", "x", "--run", "--", "sh", "-c", "echo oops; exit 3");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.stderr()).contains("exit code 3").contains("--keep-failed");
        assertThat(headId()).isEqualTo(before);

        ok("train-commit", "-m", "kept", "--keep-failed", "--run", "--", "sh", "-c", "exit 3");
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.log().setMaxCount(1).call().iterator().next().getFullMessage()).contains("Mlv-Run-Failed: exit 3");
        }
    }

    @Test
    void runNeedsACommand() {
        assertThat(mlv.run("train-commit", "--run").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("train-commit", "stray").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void statusShowsLargeFilesOtherFilesAndMetricChanges() throws Exception {
        write("metrics/metrics.json", "{\"accuracy\": 0.9, \"loss\": 0.3}");
        ok("train-commit", "-m", "base");
        write("models/new.bin", random(10_000, 4));
        write("notes.md", "hello\n");
        write("metrics/metrics.json", "{\"accuracy\": 0.8, \"loss\": 0.2}");
        JsonNode doc = JSON.readTree(ok("status", "--json").stdout());
        assertThat(doc.get("largeFiles").get(0).get("path").asText()).isEqualTo("models/new.bin");
        assertThat(doc.get("largeFiles").get(0).get("size").asLong()).isEqualTo(10_000);
        assertThat(doc.get("otherFiles").toString()).contains("notes.md").contains("metrics/metrics.json");
        assertThat(doc.get("metrics").toString()).contains("\"key\":\"accuracy\"").contains("\"change\":\"worse\"")
                .contains("\"key\":\"loss\"").contains("\"change\":\"better\"");
        assertThat(ok("status").stdout()).contains("accuracy: 0.9 -> 0.8 (worse)");

        // a deleted file is listed with the size it had, not 0: the large one from its pointer
        ok("train-commit", "-m", "more");
        Files.delete(repo.resolve("models/new.bin"));
        Files.delete(repo.resolve("notes.md"));
        JsonNode gone = JSON.readTree(ok("status", "--json").stdout());
        assertThat(gone.get("largeFiles").get(0).get("state").asText()).isEqualTo("deleted");
        assertThat(gone.get("largeFiles").get(0).get("size").asLong()).isEqualTo(10_000);
        assertThat(gone.get("otherFiles").get(0).get("path").asText()).isEqualTo("notes.md");
        assertThat(gone.get("otherFiles").get(0).get("size").asLong()).isEqualTo(6);
        ok("train-commit", "-m", "drop");
        assertThat(ok("log", "-n", "1").stdout()).contains("drop");
    }

    @Test
    void switchMaterialisesLargeFilesAndRefusesWhenDirty() throws Exception {
        byte[] base = random(2_000_000, 5);
        write("models/model.bin", base);
        ok("train-commit", "-m", "base");
        ok("switch", "--create", "exp");
        byte[] exp = random(2_000_000, 6);
        write("models/model.bin", exp);
        ok("train-commit", "-m", "exp");
        ok("switch", "main");
        assertThat(Files.readAllBytes(repo.resolve("models/model.bin"))).isEqualTo(base);
        assertThat(ok("status", "--json").stdout()).contains("\"largeFiles\" : [ ]");

        write("models/model.bin", random(100, 7));
        CliHarness.Result dirty = mlv.run("switch", "exp");
        assertThat(dirty.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(dirty.stderr()).contains("uncommitted changes").contains("models/model.bin");
        assertThat(Files.size(repo.resolve("models/model.bin"))).isEqualTo(100);

        write("models/model.bin", base);
        JsonNode doc = JSON.readTree(ok("switch", "exp", "--json").stdout());
        assertThat(doc.get("largeFiles").asInt()).isEqualTo(1);
        assertThat(Files.readAllBytes(repo.resolve("models/model.bin"))).isEqualTo(exp);
    }

    @Test
    void switchToAMissingBranchOrWithMissingContentChangesNothing() throws Exception {
        CliHarness.Result none = mlv.run("switch", "nope");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(none.stderr()).contains("mlv switch --create nope");

        byte[] base = random(500_000, 8);
        write("models/model.bin", base);
        ok("train-commit", "-m", "base");
        ok("switch", "--create", "exp");
        write("models/model.bin", random(600_000, 9));
        ok("train-commit", "-m", "exp");
        ok("switch", "main");
        deleteStore();
        CliHarness.Result r = mlv.run("switch", "exp");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("models/model.bin").contains("nothing was changed");
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.getRepository().getBranch()).isEqualTo("main");
        }
        assertThat(Files.readAllBytes(repo.resolve("models/model.bin"))).isEqualTo(base);
    }

    private void deleteStore() throws IOException {
        Path store = repo.resolve(".git/mlv/store");
        try (var walk = Files.walk(store)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void catReportsMissingRefsPathsAndBadSpecs() throws Exception {
        write("src/a.txt", "plain text\n");
        ok("train-commit", "-m", "a");
        assertThat(ok("cat", "HEAD:src/a.txt").stdout()).isEqualTo("plain text\n");
        assertThat(ok("cat", ":src/a.txt").stdout()).isEqualTo("plain text\n");
        JsonNode written = JSON.readTree(ok("cat", "--json", "HEAD:src/a.txt", "-o", "a-copy.txt").stdout());
        assertThat(written.get("path").asText()).isEqualTo("src/a.txt");
        assertThat(written.get("bytes").asLong()).isEqualTo(11);
        assertThat(written.get("large").asBoolean()).isFalse();
        assertThat(written.get("commit").asText()).hasSize(40);
        assertThat(Files.readString(repo.resolve("a-copy.txt"))).isEqualTo("plain text\n");
        CliHarness.Result noOutput = mlv.run("cat", "--json", "HEAD:src/a.txt");
        assertThat(noOutput.exitCode()).isEqualTo(ExitCodes.USAGE);
        // no content on stdout: only the error, as a JSON document
        assertThat(JSON.readTree(noOutput.stdout()).at("/error/kind").asText()).isEqualTo("usage");
        assertThat(mlv.run("cat", "HEAD:src/missing.txt").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(mlv.run("cat", "nobranch:src/a.txt").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(mlv.run("cat", "no-colon").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("cat", "HEAD:../etc/passwd").exitCode()).isEqualTo(ExitCodes.USAGE);
        ok("cat", "HEAD:src/a.txt", "-o", "out/a.txt");
        assertThat(repo.resolve("out/a.txt")).hasContent("plain text");
    }

    @Test
    void catOfLargeFileWithMissingContentExitsNotFound() throws Exception {
        write("models/model.bin", random(100_000, 10));
        ok("train-commit", "-m", "m");
        deleteStore();
        CliHarness.Result r = mlv.run("cat", "HEAD:models/model.bin");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("not in the local store").contains("mlv pull");
    }

    @Test
    void lsFilesAndLogShowLargeFilesAndTrailers() throws Exception {
        byte[] model = random(50_000, 11);
        write("models/model.bin", model);
        write("metrics/metrics.json", "{\"accuracy\": 0.75}");
        ok("train-commit", "-m", "m1");
        JsonNode files = JSON.readTree(ok("ls-files", "--json").stdout()).get("files");
        assertThat(files).hasSize(1);
        assertThat(files.get(0).get("path").asText()).isEqualTo("models/model.bin");
        assertThat(files.get(0).get("oid").asText()).isEqualTo(sha256(model));
        assertThat(files.get(0).get("present").asBoolean()).isTrue();

        JsonNode log = JSON.readTree(ok("log", "--json", "-n", "1").stdout()).get("commits");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("subject").asText()).isEqualTo("m1");
        assertThat(log.get(0).get("metrics").get("accuracy").asText()).isEqualTo("0.75");
        assertThat(log.get(0).get("date").asText()).isEqualTo(CliHarness.NOW.toString());
        assertThat(ok("log").stdout()).contains("m1").contains("accuracy=0.75").contains("Initialize mlv repository");
    }

    @Test
    void trackedFileCommittedAsRawBytesIsHandledWithAWarning() throws Exception {
        // a branch where models/raw.bin was committed by a tool that does not know mlv: raw bytes
        byte[] raw = random(5000, 12);
        try (Git git = Git.open(repo.toFile())) {
            git.branchCreate().setName("legacy").call();
            ObjectId tree;
            try (var inserter = git.getRepository().newObjectInserter()) {
                var dc = org.eclipse.jgit.dircache.DirCache.newInCore();
                var builder = dc.builder();
                var rw = new RevWalk(git.getRepository());
                var headTree = rw.parseCommit(git.getRepository().resolve("legacy")).getTree();
                builder.addTree(new byte[0], 0, git.getRepository().newObjectReader(), headTree);
                var entry = new org.eclipse.jgit.dircache.DirCacheEntry("models/raw.bin");
                entry.setFileMode(org.eclipse.jgit.lib.FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, raw));
                builder.add(entry);
                builder.finish();
                tree = dc.writeTree(inserter);
                var commit = new org.eclipse.jgit.lib.CommitBuilder();
                commit.setTreeId(tree);
                commit.setParentId(git.getRepository().resolve("legacy"));
                commit.setAuthor(new org.eclipse.jgit.lib.PersonIdent("A", "a@example.com"));
                commit.setCommitter(new org.eclipse.jgit.lib.PersonIdent("A", "a@example.com"));
                commit.setMessage("raw model");
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                var update = git.getRepository().updateRef("refs/heads/legacy");
                update.setNewObjectId(id);
                update.forceUpdate();
                rw.close();
            }
        }
        CliHarness.Result r = mlv.run("switch", "legacy");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("warning").contains("models/raw.bin").contains("raw bytes");
        assertThat(Files.readAllBytes(repo.resolve("models/raw.bin"))).isEqualTo(raw);
        assertThat(ok("cat", "legacy:models/raw.bin").stdoutBytes()).isEqualTo(raw);
        assertThat(JSON.readTree(ok("ls-files", "--json").stdout()).get("files")).isEmpty();
        // the next train-commit turns it into a pointer
        Files.write(repo.resolve("models/raw.bin"), raw);
        ok("train-commit", "-m", "convert", "--allow-empty");
        assertThat(new String(blob("HEAD", "models/raw.bin"), StandardCharsets.UTF_8)).startsWith("version https://git-lfs");
    }

    private String headId() throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build()) {
            return git.resolve(Constants.HEAD).name();
        }
    }
}
