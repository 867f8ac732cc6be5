package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull, clone and switch of many large files, which are written many at once ahead of JGit's
 * checkout ({@code workspace.internal.LargeFileCheckout}): each file whole, the index as a checkout
 * leaves it (so status trusts the stat data and hashes nothing), and a damaged chunk or a file in
 * the way changing nothing at all.
 */
class ManyFilesCheckoutTest {
    @TempDir
    Path root;

    /** {@code count} tracked files under {@code models/} in {@code dirs} folders, 1-40 KiB each, from {@code seed}. */
    private static Map<String, byte[]> shards(int count, int dirs, String prefix, long seed) {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            int size = 1024 + (int) ((seed * 7919 + i * 104729L) % (39 * 1024));
            files.put("models/" + prefix + "/d" + (i % dirs) + "/shard-" + i + ".bin", RemoteFixture.random(size, seed * 100_000 + i));
        }
        return files;
    }

    private static void writeAll(Path repo, Map<String, byte[]> files) throws IOException {
        for (var e : files.entrySet()) {
            RemoteFixture.write(repo.resolve(e.getKey()), e.getValue());
        }
    }

    @Test
    void aPullOfManyTrackedFilesWritesEachWholeAndLeavesTheIndexAsACheckoutWould() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path a = f.repo("a", "origin", Files.createDirectories(root.resolve("store")).toString());
        Map<String, byte[]> v1 = shards(40, 4, "old", 1);
        writeAll(a, v1);
        RemoteFixture.write(a.resolve("README.md"), "v1\n".getBytes());
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");

        // v2: 200 new files across new folders, 10 of v1's replaced, 5 removed, a plain file changed
        Map<String, byte[]> expected = new TreeMap<>(v1);
        Map<String, byte[]> added = shards(200, 7, "new/ckpt", 2);
        writeAll(a, added);
        expected.putAll(added);
        List<String> old = new ArrayList<>(v1.keySet());
        for (int i = 0; i < 10; i++) {
            byte[] changed = RemoteFixture.random(v1.get(old.get(i)).length + 17, 300 + i);
            RemoteFixture.write(a.resolve(old.get(i)), changed);
            expected.put(old.get(i), changed);
        }
        for (int i = 10; i < 15; i++) {
            Files.delete(a.resolve(old.get(i)));
            expected.remove(old.get(i));
        }
        RemoteFixture.write(a.resolve("README.md"), "v2\n".getBytes());
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "push");

        JsonNode pull = f.json("-C", "b", "pull", "--json");
        assertThat(pull.path("state").asText()).isEqualTo("fast-forward");
        assertThat(pull.path("filesUpdated").asInt()).as("200 added, 10 replaced, 5 removed, README").isEqualTo(216);

        assertWorkTree(b, expected);
        assertThat(Files.readString(b.resolve("README.md"))).isEqualTo("v2\n");
        for (int i = 10; i < 15; i++) {
            assertThat(b.resolve(old.get(i))).doesNotExist();
        }
        assertIndexMatchesHeadAndFiles(b);
        assertThat(f.json("-C", "b", "status", "--json").path("clean").asBoolean()).isTrue();
        assertThat(storeTempFiles(b)).as("files the download wrote out whole were all moved into place").isEmpty();

        // a fresh clone takes the same path
        f.ok("clone", f.bare.toString(), "c");
        assertWorkTree(root.resolve("c"), expected);
        assertIndexMatchesHeadAndFiles(root.resolve("c"));
        assertThat(storeTempFiles(root.resolve("c"))).isEmpty();
    }

    @Test
    void aDamagedChunkInTheLocalStoreFailsThePullAndChangesNothing() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path a = f.repo("a", "origin", Files.createDirectories(root.resolve("store")).toString());
        Map<String, byte[]> v1 = shards(20, 2, "old", 3);
        writeAll(a, v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");
        List<Path> packsBefore = new StoreDamage(b).files("packs", ".pack");

        List<String> old = new ArrayList<>(v1.keySet());
        for (int i = 0; i < 5; i++) {
            RemoteFixture.write(a.resolve(old.get(i)), RemoteFixture.random(30_000, 700 + i));
        }
        writeAll(a, shards(60, 3, "new", 4));
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "push");
        // the new content is local (checked as it arrived); then one of its chunks is damaged on disk
        f.ok("-C", "b", "fetch", "--content");
        List<Path> fetched = new StoreDamage(b).files("packs", ".pack").stream().filter(p -> !packsBefore.contains(p)).toList();
        assertThat(fetched).isNotEmpty();
        Path pack = fetched.get(0);
        StoreDamage.flipByte(pack, Files.size(pack) / 2);

        String log = f.json("-C", "b", "log", "--json").toString();
        byte[] index = Files.readAllBytes(b.resolve(".git/index"));
        Map<String, byte[]> before = contents(b);

        CliHarness.Result pull = f.mlv.run("-C", "b", "pull");
        assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(pull.stderr()).contains("corrupt").contains("nothing was changed");
        assertThat(f.json("-C", "b", "log", "--json").toString()).as("the branch did not move").isEqualTo(log);
        assertThat(Files.readAllBytes(b.resolve(".git/index"))).isEqualTo(index);
        assertThat(contents(b)).as("no file written, replaced or left behind").containsOnlyKeys(before.keySet());
        assertWorkTree(b, before);
        assertThat(b.resolve("models/new")).as("folders made for new files are removed").doesNotExist();
        assertThat(f.json("-C", "b", "status", "--json").path("clean").asBoolean()).isTrue();
    }

    @Test
    void aFileInTheWayOfThePullChangesNothing() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path a = f.repo("a", "origin", Files.createDirectories(root.resolve("store")).toString());
        writeAll(a, shards(5, 1, "old", 5));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        Path b = root.resolve("b");
        Map<String, byte[]> added = shards(30, 3, "new", 6);
        writeAll(a, added);
        RemoteFixture.write(a.resolve("notes.txt"), "committed\n".getBytes());
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "push");
        RemoteFixture.write(b.resolve("notes.txt"), "mine, not committed\n".getBytes());
        String log = f.json("-C", "b", "log", "--json").toString();
        Map<String, byte[]> before = contents(b);

        CliHarness.Result pull = f.mlv.run("-C", "b", "pull");
        assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(pull.stderr()).contains("notes.txt").contains("nothing was changed");
        assertThat(f.json("-C", "b", "log", "--json").toString()).isEqualTo(log);
        assertThat(contents(b)).containsOnlyKeys(before.keySet());
        assertThat(Files.readString(b.resolve("notes.txt"))).isEqualTo("mine, not committed\n");
        assertThat(b.resolve("models/new")).doesNotExist();
        assertThat(storeTempFiles(b)).as("files the download wrote out whole are removed").isEmpty();

        Files.delete(b.resolve("notes.txt"));
        f.ok("-C", "b", "pull");
        assertWorkTree(b, added);
        assertIndexMatchesHeadAndFiles(b);
    }

    @Test
    void aSwitchBetweenCheckpointsWritesEachFileWholeAndMovesHeadLast() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        f.ok("init", "a");
        Path a = root.resolve("a");
        Map<String, byte[]> v1 = shards(60, 4, "ckpt", 7);
        writeAll(a, v1);
        RemoteFixture.write(a.resolve("README.md"), "v1\n".getBytes());
        f.ok("-C", "a", "train-commit", "-m", "v1");

        f.ok("-C", "a", "switch", "--create", "exp");
        Map<String, byte[]> v2 = new TreeMap<>(v1);
        Map<String, byte[]> added = shards(80, 5, "ckpt/more", 8);
        writeAll(a, added);
        v2.putAll(added);
        List<String> old = new ArrayList<>(v1.keySet());
        for (int i = 0; i < 10; i++) {
            byte[] changed = RemoteFixture.random(v1.get(old.get(i)).length + 5, 900 + i);
            RemoteFixture.write(a.resolve(old.get(i)), changed);
            v2.put(old.get(i), changed);
        }
        for (int i = 10; i < 15; i++) {
            Files.delete(a.resolve(old.get(i)));
            v2.remove(old.get(i));
        }
        f.ok("-C", "a", "train-commit", "-m", "v2");

        JsonNode back = f.json("-C", "a", "switch", "main", "--json");
        assertThat(back.path("filesUpdated").asInt()).as("80 removed, 10 replaced, 5 restored").isEqualTo(95);
        assertWorkTree(a, v1);
        assertThat(contents(a).keySet()).as("exp's new files are gone").noneMatch(p -> p.startsWith("models/ckpt/more/"));
        assertIndexMatchesHeadAndFiles(a);
        assertThat(Files.readString(a.resolve(".git/HEAD"))).isEqualTo("ref: refs/heads/main\n");
        assertThat(f.json("-C", "a", "status", "--json").path("clean").asBoolean()).isTrue();

        f.ok("-C", "a", "switch", "exp");
        assertWorkTree(a, v2);
        assertIndexMatchesHeadAndFiles(a);
        assertThat(Files.readString(a.resolve(".git/HEAD"))).isEqualTo("ref: refs/heads/exp\n");
        assertThat(Files.readString(a.resolve(".git/logs/HEAD")).strip().lines().reduce((x, y) -> y).orElseThrow())
                .as("the reflog entry git writes").endsWith("checkout: moving from main to exp");

        // --create --from starts a branch at another one and checks it out
        JsonNode created = f.json("-C", "a", "switch", "--create", "again", "--from", "main", "--json");
        assertThat(created.path("created").asBoolean()).isTrue();
        assertWorkTree(a, v1);
        assertIndexMatchesHeadAndFiles(a);
        assertThat(Files.readString(a.resolve(".git/HEAD"))).isEqualTo("ref: refs/heads/again\n");
    }

    @Test
    void aPromotionIntoTheCheckedOutBranchWritesItsShardsWhole() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        f.ok("init", "a");
        Path a = root.resolve("a");
        Map<String, byte[]> v1 = shards(30, 3, "ckpt", 11);
        writeAll(a, v1);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "switch", "--create", "dev");
        Map<String, byte[]> v2 = new TreeMap<>(v1);
        List<String> old = new ArrayList<>(v1.keySet());
        for (int i = 0; i < 12; i++) {
            byte[] changed = RemoteFixture.random(v1.get(old.get(i)).length, 1200 + i);
            RemoteFixture.write(a.resolve(old.get(i)), changed);
            v2.put(old.get(i), changed);
        }
        Map<String, byte[]> added = shards(40, 4, "ckpt/more", 12);
        writeAll(a, added);
        v2.putAll(added);
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "switch", "main");

        f.ok("-C", "a", "promote", "dev", "main");
        assertWorkTree(a, v2);
        assertIndexMatchesHeadAndFiles(a);
        assertThat(f.json("-C", "a", "status", "--json").path("clean").asBoolean()).isTrue();
    }

    @Test
    void aSwitchStoppedByADamagedChunkOrAFileInTheWayChangesNothing() throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        f.ok("init", "a");
        Path a = root.resolve("a");
        writeAll(a, shards(20, 2, "ckpt", 9));
        f.ok("-C", "a", "train-commit", "-m", "v1");
        List<Path> packsBefore = new StoreDamage(a).files("packs", ".pack");
        f.ok("-C", "a", "switch", "--create", "exp");
        Map<String, byte[]> added = shards(40, 3, "more", 10);
        writeAll(a, added);
        f.ok("-C", "a", "train-commit", "-m", "v2");
        f.ok("-C", "a", "switch", "main");
        Map<String, byte[]> before = contents(a);
        byte[] index = Files.readAllBytes(a.resolve(".git/index"));

        // an untracked file where exp has one
        String inTheWay = added.keySet().iterator().next();
        RemoteFixture.write(a.resolve(inTheWay), "mine\n".getBytes());
        CliHarness.Result blocked = f.mlv.run("-C", "a", "switch", "exp");
        assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(blocked.stderr()).contains(inTheWay).contains("nothing was changed");
        assertThat(Files.readString(a.resolve(".git/HEAD"))).isEqualTo("ref: refs/heads/main\n");
        assertThat(Files.readAllBytes(a.resolve(".git/index"))).isEqualTo(index);
        assertThat(contents(a).keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(before.keySet().stream(), Stream.of(inTheWay)).toList());
        assertThat(a.resolve("models/more")).isDirectory();
        Files.delete(a.resolve(inTheWay));
        Files.delete(a.resolve(inTheWay).getParent());
        Files.delete(a.resolve("models/more"));

        // a damaged chunk of exp's files
        List<Path> written = new StoreDamage(a).files("packs", ".pack").stream().filter(p -> !packsBefore.contains(p)).toList();
        assertThat(written).isNotEmpty();
        for (Path pack : written) {
            StoreDamage.flipByte(pack, Files.size(pack) / 2);
        }
        CliHarness.Result damaged = f.mlv.run("-C", "a", "switch", "exp");
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(damaged.stderr()).contains("nothing was changed");
        assertThat(Files.readString(a.resolve(".git/HEAD"))).isEqualTo("ref: refs/heads/main\n");
        assertThat(Files.readAllBytes(a.resolve(".git/index"))).isEqualTo(index);
        assertThat(contents(a).keySet()).as("no file written or left behind").containsExactlyInAnyOrderElementsOf(before.keySet());
        assertThat(a.resolve("models/more")).as("folders made for new files are removed").doesNotExist();
        assertThat(f.json("-C", "a", "status", "--json").path("clean").asBoolean()).isTrue();
    }

    /** Every file of the work tree (outside .git) by path. */
    private static Map<String, byte[]> contents(Path repo) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(repo)) {
            for (Path p : s.filter(p -> !p.startsWith(repo.resolve(".git")) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                files.put(repo.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void assertWorkTree(Path repo, Map<String, byte[]> expected) throws IOException {
        Map<String, byte[]> actual = contents(repo);
        for (var e : expected.entrySet()) {
            assertThat(actual).as(e.getKey()).containsKey(e.getKey());
            assertThat(actual.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(actual.keySet()).as("no temp file left").noneMatch(p -> p.endsWith(".mlv-tmp") || p.endsWith(".tmp"));
    }

    /**
     * The index names HEAD's tree exactly (stage 0, ids and modes), and every entry's size and
     * modification time are its file's, with no racily-clean mark: status hashes nothing.
     */
    private static void assertIndexMatchesHeadAndFiles(Path repo) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setWorkTree(repo.toFile()).setGitDir(repo.resolve(".git").toFile()).build();
             RevWalk walk = new RevWalk(git);
             TreeWalk tw = new TreeWalk(git)) {
            DirCache dc = git.readDirCache();
            tw.addTree(walk.parseCommit(git.resolve("HEAD")).getTree());
            tw.setRecursive(true);
            Map<String, DirCacheEntry> entries = new HashMap<>();
            for (int i = 0; i < dc.getEntryCount(); i++) {
                DirCacheEntry e = dc.getEntry(i);
                assertThat(e.getStage()).as(e.getPathString()).isZero();
                entries.put(e.getPathString(), e);
            }
            int n = 0;
            while (tw.next()) {
                n++;
                DirCacheEntry e = entries.get(tw.getPathString());
                assertThat(e).as(tw.getPathString()).isNotNull();
                assertThat(e.getObjectId()).as(tw.getPathString()).isEqualTo(tw.getObjectId(0));
                assertThat(e.getFileMode()).as(tw.getPathString()).isEqualTo(tw.getFileMode(0));
                if (e.getFileMode() == FileMode.GITLINK) {
                    continue;
                }
                BasicFileAttributes attrs = Files.readAttributes(repo.resolve(e.getPathString()), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                assertThat(e.isSmudged()).as(e.getPathString() + " marked racily clean").isFalse();
                assertThat(e.getLength()).as(e.getPathString()).isEqualTo((int) attrs.size());
                assertThat(e.getLastModifiedInstant()).as(e.getPathString()).isEqualTo(attrs.lastModifiedTime().toInstant());
            }
            assertThat(entries).hasSize(n);
        }
    }

    /** What is left in the store's temp folder. */
    private static List<Path> storeTempFiles(Path repo) throws IOException {
        Path tmp = repo.resolve(".git/mlv/store/tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (var files = Files.list(tmp)) {
            return files.toList();
        }
    }
}
