package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv fsck --repair} with a store remote that has the content: each kind of local damage
 * (a flipped byte in a pack, a deleted pack, a deleted index, a truncated manifest) is found by
 * fsck and by a read, then repaired: the file reads back byte for byte, fsck re-hashing every
 * chunk is clean, and a damaged pack is set aside, never read again.
 */
class FsckRepairTest {
    @TempDir
    Path root;
    RemoteFixture f;
    Path a;
    StoreDamage store;
    byte[] model;

    @BeforeEach
    void pushOneModel() throws Exception {
        f = new RemoteFixture(root);
        Path remoteStore = Files.createDirectories(root.resolve("store"));
        a = f.repo("a", "origin", remoteStore.toString());
        store = new StoreDamage(a);
        model = RemoteFixture.random(400_000, 9);
        RemoteFixture.write(a.resolve("models/model.bin"), model);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
    }

    private CliHarness.Result run(int exit, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "-C";
        full[1] = "a";
        System.arraycopy(args, 0, full, 2, args.length);
        CliHarness.Result r = f.mlv.run(full);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        return r;
    }

    private JsonNode repair(String... extra) throws IOException {
        String[] args = new String[extra.length + 3];
        args[0] = "fsck";
        args[1] = "--repair";
        args[2] = "--json";
        System.arraycopy(extra, 0, args, 3, extra.length);
        JsonNode r = RemoteFixture.JSON.readTree(run(0, args).stdout());
        assertThat(r.path("ok").asBoolean()).isTrue();
        return r;
    }

    private void readFails() {
        CliHarness.Result cat = run(6, "cat", "main:models/model.bin");
        assertThat(cat.stdoutBytes().length).isLessThan(model.length);
    }

    private long quarantined() throws IOException {
        Path q = a.resolve(".git/mlv/store/quarantine");
        if (!Files.isDirectory(q)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(q)) {
            return s.count();
        }
    }

    @Test
    void aFlippedByteIsRepairedFetchingOnlyTheDamagedChunk() throws Exception {
        Path pack = store.onlyPack();
        StoreDamage.flipByte(pack, 8 + 44 + 1000);
        assertThat(run(6, "fsck", "--read-data").stdout()).contains("is corrupt").contains("main:models/model.bin");
        readFails();

        JsonNode r = repair("--read-data");
        String done = r.path("repaired").toString();
        assertThat(done).contains("moved to quarantine/").contains("sound chunks copied to packs/")
                .contains("1 damaged").contains("fetched again from the store remote").contains("1 chunks (");
        assertThat(pack).doesNotExist();
        assertThat(quarantined()).isEqualTo(1);
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        assertThat(RemoteFixture.JSON.readTree(run(0, "fsck", "--read-data", "--json").stdout()).path("warnings"))
                .isEmpty();

        // gc removes the set-aside pack once it is older than the grace period, and nothing else.
        CliHarness realClock = new CliHarness(root).clock(java.time.Clock.systemUTC());
        CliHarness.Result gc = realClock.run("-C", "a", "gc", "--grace", "0", "--json");
        assertThat(gc.exitCode()).as(gc.toString()).isZero();
        assertThat(RemoteFixture.JSON.readTree(gc.stdout()).path("removedPacks").toString()).contains("quarantine/");
        assertThat(quarantined()).isZero();
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        run(0, "fsck", "--read-data");
    }

    @Test
    void aDeletedPackIsFetchedAgain() throws Exception {
        Files.delete(store.onlyPack());
        assertThat(run(6, "fsck").stdout()).contains("is missing");
        readFails();

        JsonNode r = repair();
        assertThat(r.path("repaired").toString()).contains("removed (its pack is missing")
                .contains("fetched again from the store remote").contains("(chunks)");
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        run(0, "fsck", "--read-data");
    }

    @Test
    void aDeletedIndexIsRebuiltFromTheFooterWithoutFetching() throws Exception {
        Path index = store.indexOf(store.onlyPack());
        Files.delete(index);
        assertThat(run(6, "fsck").stdout()).contains("index is missing");
        readFails();

        JsonNode r = repair();
        assertThat(r.path("repaired").toString()).contains("rebuilt from the footer")
                .doesNotContain("fetched again");
        assertThat(index).exists();
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        run(0, "fsck", "--read-data");
    }

    @Test
    void aDeletedIndexOfATruncatedPackIsFetchedFromTheRemote() throws Exception {
        Path pack = store.onlyPack();
        Files.delete(store.indexOf(pack));
        StoreDamage.truncate(pack, Files.size(pack) / 2);
        run(6, "fsck");
        readFails();

        JsonNode r = repair();
        assertThat(r.path("repaired").toString()).contains("neither its footer nor its index can be read")
                .contains("fetched again from the store remote");
        assertThat(quarantined()).isEqualTo(1);
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        run(0, "fsck", "--read-data");
    }

    @Test
    void aTruncatedManifestIsFetchedAgain() throws Exception {
        Path manifest = store.files("manifests", "").get(0);
        byte[] original = Files.readAllBytes(manifest);
        StoreDamage.truncate(manifest, Files.size(manifest) - 20);
        assertThat(run(6, "fsck").stdout()).contains("manifest").contains("main:models/model.bin");
        readFails();

        JsonNode r = repair();
        assertThat(r.path("repaired").toString()).contains("(manifest and chunks)").contains("0 chunks (");
        assertThat(Files.readAllBytes(manifest)).isEqualTo(original);
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        run(0, "fsck", "--read-data");
    }

    @Test
    void contentTheRemoteLacksStaysReportedWithTheReason() throws Exception {
        byte[] local = RemoteFixture.random(100_000, 10);
        RemoteFixture.write(a.resolve("models/local.bin"), local);
        run(0, "train-commit", "-m", "never pushed");
        Path manifest = a.resolve(".git/mlv/store/manifests/" + hex(local).substring(0, 2) + "/" + hex(local));
        Files.delete(manifest);

        CliHarness.Result r = run(6, "fsck", "--repair");
        assertThat(r.stdout()).contains("does not have it either").contains("main:models/local.bin");
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
    }

    @Test
    void anUnreachableRemoteStopsTheRepairWithExit7() throws Exception {
        Files.delete(store.onlyPack());
        Files.move(root.resolve("store"), root.resolve("store-away"));
        CliHarness.Result r = run(7, "fsck", "--repair");
        assertThat(r.stderr().lines().filter(l -> l.startsWith("mlv: ")).count()).isEqualTo(1);
        Files.move(root.resolve("store-away"), root.resolve("store"));
        repair();
        assertThat(run(0, "cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
    }

    private static String hex(byte[] content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }
}
