package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv import-lfs} on a repository laid out as Git LFS leaves it (pointer blobs,
 * {@code filter=lfs} attributes, objects in {@code .git/lfs/objects}), made here with JGit so the
 * test needs no git-lfs; {@code GitInteropTest} does the same with the real git-lfs.
 */
class ImportLfsCommandTest {
    @TempDir
    Path dir;
    private Path repo;
    private byte[] weights;
    private String oid;

    @BeforeEach
    void lfsRepository() throws Exception {
        repo = dir.resolve("lfs-repo");
        weights = new byte[200_000];
        new Random(7).nextBytes(weights);
        oid = sha256(weights);
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve(".gitattributes"), "# models\n*.bin filter=lfs diff=lfs merge=lfs -text\n*.txt text\n");
            Files.writeString(repo.resolve("model.bin"), pointer(oid, weights.length));
            Files.writeString(repo.resolve("notes.txt"), "hello\n");
            git.add().addFilepattern(".").call();
            commit(git, "with lfs");
        }
        writeLfsObject(oid, weights);
    }

    @Test
    void importsTheObjectsAndSwitchesTheAttributesInANewCommit() throws Exception {
        CliHarness.Result r = new CliHarness(repo).run("--json", "import-lfs");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());
        assertThat(doc.get("objects").asInt()).isEqualTo(1);
        assertThat(doc.get("imported").asInt()).isEqualTo(1);
        assertThat(doc.get("importedBytes").asLong()).isEqualTo(weights.length);
        assertThat(doc.get("switchedLines").toString()).contains("*.bin filter=mlv diff=mlv merge=mlv -text");

        assertThat(Files.readString(repo.resolve(".gitattributes")))
                .isEqualTo("# models\n*.bin filter=mlv diff=mlv merge=mlv -text\n*.txt text\n");
        try (Git git = Git.open(repo.toFile())) {
            RevCommit head = git.log().setMaxCount(1).call().iterator().next();
            assertThat(head.name()).isEqualTo(doc.get("commit").asText());
            assertThat(head.getFullMessage()).startsWith("Move large files from Git LFS to mlv");
            assertThat(head.getParentCount()).isEqualTo(1);
            // only .gitattributes changed: the pointer blob is the very one LFS committed
            assertThat(blob(git, head, "model.bin")).isEqualTo(pointer(oid, weights.length));
            assertThat(blob(git, head, ".gitattributes")).contains("filter=mlv");
            assertThat(git.getRepository().getConfig().getString("filter", "mlv", "process")).endsWith("filter-process");
        }
        // the content is in mlv's store: the store's own cat gives it back, verified
        CliHarness.Result cat = new CliHarness(repo).run("store", "cat", oid);
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.stdoutBytes()).isEqualTo(weights);

        CliHarness.Result again = new CliHarness(repo).run("import-lfs");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("0 imported").contains("1 already in mlv's store").contains("nothing to switch");
    }

    @Test
    void aNestedAttributesFileIsSwitchedToo() throws Exception {
        byte[] shard = new byte[100_000];
        new Random(8).nextBytes(shard);
        String shardOid = sha256(shard);
        try (Git git = Git.open(repo.toFile())) {
            Files.createDirectories(repo.resolve("ckpt"));
            Files.writeString(repo.resolve("ckpt/.gitattributes"), "*.pt filter=lfs diff=lfs merge=lfs -text\n");
            Files.writeString(repo.resolve("ckpt/shard-0.pt"), pointer(shardOid, shard.length));
            git.add().addFilepattern(".").call();
            commit(git, "nested lfs attributes");
        }
        writeLfsObject(shardOid, shard);

        CliHarness.Result r = new CliHarness(repo).run("--json", "import-lfs");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());
        assertThat(doc.get("imported").asInt()).isEqualTo(2);
        assertThat(doc.get("switchedLines").toString()).contains("ckpt/.gitattributes: *.pt filter=mlv diff=mlv merge=mlv -text");
        assertThat(Files.readString(repo.resolve("ckpt/.gitattributes"))).isEqualTo("*.pt filter=mlv diff=mlv merge=mlv -text\n");
        try (Git git = Git.open(repo.toFile())) {
            RevCommit head = git.log().setMaxCount(1).call().iterator().next();
            assertThat(blob(git, head, "ckpt/.gitattributes")).doesNotContain("filter=lfs");
            assertThat(blob(git, head, ".gitattributes")).doesNotContain("filter=lfs");
            assertThat(git.status().call().isClean()).as("both files committed").isTrue();
        }
        CliHarness.Result cat = new CliHarness(repo).run("cat", "HEAD:ckpt/shard-0.pt");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.stdoutBytes()).isEqualTo(shard);
    }

    @Test
    void missingObjectsAreListedByPathAndNothingIsSwitched() throws Exception {
        Files.delete(lfsObject(oid));
        CliHarness.Result r = new CliHarness(repo).run("import-lfs");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stderr()).contains("model.bin").contains(oid.substring(0, 12)).contains("--allow-missing");
        assertThat(Files.readString(repo.resolve(".gitattributes"))).contains("filter=lfs");

        CliHarness.Result allowed = new CliHarness(repo).run("import-lfs", "--allow-missing");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.stderr()).contains("missing model.bin");
        assertThat(Files.readString(repo.resolve(".gitattributes"))).contains("filter=mlv").doesNotContain("filter=lfs");
    }

    @Test
    void aCorruptObjectIsAnIntegrityErrorAndNothingIsSwitched() throws Exception {
        byte[] corrupt = weights.clone();
        corrupt[1000] ^= 1;
        Files.write(lfsObject(oid), corrupt);
        CliHarness.Result r = new CliHarness(repo).run("import-lfs");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(r.stderr()).contains("model.bin").contains("corrupt").contains(oid);
        assertThat(Files.readString(repo.resolve(".gitattributes"))).contains("filter=lfs");
    }

    @Test
    void allRefsAlsoImportsWhatOnlyOtherBranchesReference() throws Exception {
        byte[] old = "an older model".getBytes(StandardCharsets.UTF_8);
        String oldOid = sha256(old);
        try (Git git = Git.open(repo.toFile())) {
            git.checkout().setCreateBranch(true).setName("old").call();
            Files.writeString(repo.resolve("old.bin"), pointer(oldOid, old.length));
            git.add().addFilepattern("old.bin").call();
            commit(git, "old model");
            git.checkout().setName("main").call();
        }
        writeLfsObject(oldOid, old);

        CliHarness.Result headOnly = new CliHarness(repo).run("--json", "import-lfs");
        assertThat(new ObjectMapper().readTree(headOnly.stdout()).get("objects").asInt()).isEqualTo(1);
        CliHarness.Result all = new CliHarness(repo).run("--json", "import-lfs", "--all-refs");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(all.stdout());
        assertThat(doc.get("objects").asInt()).isEqualTo(2);
        assertThat(doc.get("imported").asInt()).isEqualTo(1);
        assertThat(doc.get("alreadyStored").asInt()).isEqualTo(1);
        assertThat(new CliHarness(repo).run("store", "cat", oldOid).stdoutBytes()).isEqualTo(old);
    }

    @Test
    void importsExactlyTheBlobsThatAreValidPointers() throws Exception {
        // Pointers, each with its object: unknown keys, a legacy version URL, the largest size.
        byte[] extended = "extended".getBytes(StandardCharsets.UTF_8);
        byte[] legacy = "legacy".getBytes(StandardCharsets.UTF_8);
        byte[] largest = "largest".getBytes(StandardCharsets.UTF_8);
        String extendedPointer = "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + sha256(legacy)
                + "\noid sha256:" + sha256(extended) + "\nsize " + extended.length + "\nx-origin another tool\n";
        String legacyPointer = pointer(sha256(legacy), legacy.length)
                .replace("https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1");
        String largestPointer = padded(pointer(sha256(largest), largest.length), 1023);
        // Files that only look like pointers, naming objects that exist nowhere: not imported,
        // so not missing either.
        byte[] nowhere = "nowhere".getBytes(StandardCharsets.UTF_8);
        String good = pointer(sha256(nowhere), nowhere.length);
        String[] notPointers = {
            padded(good, 1024),
            "version https://git-lfs.github.com/spec/v1\nsize 7\noid sha256:" + sha256(nowhere) + "\n",
            good.replace("size 7", "size 07"),
            good.replace("\n", "\r\n"),
            good + "\n",
            good + "trailing",
            good.substring(0, good.length() - 1),
            "",
        };
        try (Git git = Git.open(repo.toFile())) {
            Files.writeString(repo.resolve("extended.bin"), extendedPointer);
            Files.writeString(repo.resolve("legacy.bin"), legacyPointer);
            Files.writeString(repo.resolve("largest.bin"), largestPointer);
            for (int i = 0; i < notPointers.length; i++) {
                Files.writeString(repo.resolve("not-" + i + ".bin"), notPointers[i]);
            }
            Files.write(repo.resolve("binary.bin"), weights);
            git.add().addFilepattern(".").call();
            commit(git, "pointers and files that only look like them");
        }
        writeLfsObject(sha256(extended), extended);
        writeLfsObject(sha256(legacy), legacy);
        writeLfsObject(sha256(largest), largest);

        CliHarness.Result r = new CliHarness(repo).run("--json", "import-lfs");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.stdout());
        assertThat(doc.get("objects").asInt()).isEqualTo(4); // with model.bin
        assertThat(doc.get("imported").asInt()).isEqualTo(4);
        assertThat(doc.get("missing").size()).isZero();
        for (byte[] content : new byte[][] {extended, legacy, largest}) {
            assertThat(new CliHarness(repo).run("store", "cat", sha256(content)).stdoutBytes()).isEqualTo(content);
        }
        try (Git git = Git.open(repo.toFile())) {
            RevCommit head = git.log().setMaxCount(1).call().iterator().next();
            assertThat(blob(git, head, "extended.bin")).isEqualTo(extendedPointer);
            assertThat(blob(git, head, "legacy.bin")).isEqualTo(legacyPointer);
            assertThat(blob(git, head, "largest.bin")).isEqualTo(largestPointer);
        }
    }

    /** {@code pointer} with an extra key padding it to exactly {@code size} bytes. */
    private static String padded(String pointer, int size) {
        String base = pointer + "x-pad ";
        String padded = base + "a".repeat(size - base.length() - 1) + "\n";
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return padded;
    }

    private static void commit(Git git, String message) throws Exception {
        PersonIdent who = new PersonIdent(CliHarness.AUTHOR_NAME, CliHarness.AUTHOR_EMAIL, CliHarness.NOW, java.time.ZoneOffset.UTC);
        git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }

    private static String blob(Git git, RevCommit commit, String path) throws Exception {
        try (TreeWalk walk = TreeWalk.forPath(git.getRepository(), path, commit.getTree())) {
            ObjectId id = walk.getObjectId(0);
            return new String(git.getRepository().open(id).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path lfsObject(String hex) {
        return repo.resolve(".git/lfs/objects").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    private void writeLfsObject(String hex, byte[] content) throws Exception {
        Path file = lfsObject(hex);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    static String pointer(String oid, long size) {
        return "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize " + size + "\n";
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
