package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlv fsck --remote}: what the Git remote's branches and tags reach must be whole in the
 * store remote. Damage there (a deleted pack, a flipped byte, a truncated manifest) is found and
 * located; unpushed local work is not the remote's problem unless {@code --all-refs} asks; an
 * unreachable store exits 7.
 */
class FsckRemoteTest {
    @TempDir
    Path root;
    RemoteFixture f;
    Path remoteStore;
    byte[] model;

    @BeforeEach
    void pushOneModel() throws Exception {
        f = new RemoteFixture(root);
        remoteStore = Files.createDirectories(root.resolve("store"));
        Path a = f.repo("a", "origin", remoteStore.toString());
        model = RemoteFixture.random(400_000, 21);
        RemoteFixture.write(a.resolve("models/model.bin"), model);
        f.ok("-C", "a", "train-commit", "-m", "v1");
        f.ok("-C", "a", "push");
    }

    private CliHarness.Result run(int exit, String... args) {
        CliHarness.Result r = f.mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        return r;
    }

    private JsonNode json(int exit, String... args) throws IOException {
        return RemoteFixture.JSON.readTree(run(exit, args).stdout());
    }

    private List<Path> remoteFiles(String dir) throws IOException {
        try (Stream<Path> s = Files.walk(remoteStore.resolve(dir))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aPushedRepositoryIsWholeOnTheRemoteAndDataReadingReHashesWhatItNeeds() throws Exception {
        JsonNode r = json(0, "-C", "a", "fsck", "--remote", "--read-data", "--json");
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("storeRemote").asText()).isEqualTo("origin");
        assertThat(r.path("roots").asInt()).as("origin/main").isEqualTo(1);
        assertThat(r.path("files").asLong()).isEqualTo(1);
        assertThat(r.path("packsRead").asLong()).isEqualTo(1);
        assertThat(r.path("chunksRead").asLong()).isGreaterThan(1);
        assertThat(run(0, "-C", "a", "fsck", "--remote").stdout()).startsWith("store remote 'origin': ok: 1 pointers");
    }

    @Test
    void aDeletedRemotePackIsFoundAndRepairedFromTheLocalStore() throws Exception {
        Files.delete(remoteFiles("packs").get(0));
        CliHarness.Result r = run(6, "-C", "a", "fsck", "--remote");
        assertThat(r.stdout()).contains("problem: index/").contains("is missing")
                .contains("missing from the store remote").contains("needed by: origin/main:models/model.bin");
        run(0, "-C", "a", "fsck");

        JsonNode repaired = json(0, "-C", "a", "fsck", "--remote", "--repair", "--json");
        assertThat(repaired.path("ok").asBoolean()).isTrue();
        assertThat(repaired.path("repaired").toString()).contains("removed from the store remote")
                .contains("uploaded again from the local store");
        run(0, "-C", "a", "fsck", "--remote", "--read-data");
        f.ok("clone", f.bare.toString(), "b");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(model);
    }

    @Test
    void aFlippedByteOnTheRemoteIsFoundOnlyByReadingDataAndARepairSaysWhatToDo() throws Exception {
        Path pack = remoteFiles("packs").get(0);
        StoreDamage.flipByte(pack, 8 + 44 + 500);
        run(0, "-C", "a", "fsck", "--remote");
        CliHarness.Result r = run(6, "-C", "a", "fsck", "--remote", "--read-data");
        assertThat(r.stdout()).contains("is corrupt").contains("needed by: origin/main:models/model.bin");

        CliHarness.Result repair = run(6, "-C", "a", "fsck", "--remote", "--read-data", "--repair");
        assertThat(repair.stdout()).contains("is not rewritten by a repair").contains("delete that pack and its index");
        // Doing what it says: the pack goes, and the repair uploads every chunk again.
        Files.delete(pack);
        run(0, "-C", "a", "fsck", "--remote", "--read-data", "--repair");
        run(0, "-C", "a", "fsck", "--remote", "--read-data");
    }

    @Test
    void aTruncatedRemoteManifestIsFoundAndWrittenAgain() throws Exception {
        Path manifest = remoteFiles("manifests").get(0);
        byte[] original = Files.readAllBytes(manifest);
        StoreDamage.truncate(manifest, Files.size(manifest) - 20);
        assertThat(run(6, "-C", "a", "fsck", "--remote").stdout()).contains("manifest")
                .contains("origin/main:models/model.bin");
        JsonNode repaired = json(0, "-C", "a", "fsck", "--remote", "--repair", "--json");
        assertThat(repaired.path("repaired").toString()).contains("0 chunks");
        assertThat(Files.readAllBytes(manifest)).isEqualTo(original);
    }

    @Test
    void unpushedWorkIsCheckedOnlyWithAllRefs() throws Exception {
        RemoteFixture.write(root.resolve("a/models/model.bin"), RemoteFixture.random(100_000, 22));
        f.ok("-C", "a", "train-commit", "-m", "not pushed yet");
        run(0, "-C", "a", "fsck", "--remote");
        CliHarness.Result all = run(6, "-C", "a", "fsck", "--remote", "--all-refs");
        assertThat(all.stdout()).contains("is not in the store remote").contains("main:models/model.bin");
        f.ok("-C", "a", "push");
        run(0, "-C", "a", "fsck", "--remote", "--all-refs");
    }

    @Test
    void refsThisCloneHasNotFetchedAreNamedInAWarning() throws Exception {
        f.ok("clone", f.bare.toString(), "b");
        f.ok("-C", "b", "switch", "--create", "feature");
        RemoteFixture.write(root.resolve("b/models/feature.bin"), RemoteFixture.random(50_000, 23));
        f.ok("-C", "b", "train-commit", "-m", "feature");
        f.ok("-C", "b", "push", "origin", "feature");
        JsonNode r = json(0, "-C", "a", "fsck", "--remote", "--json");
        assertThat(r.path("warnings").toString()).contains("origin/feature").contains("mlv fetch origin");
        f.ok("-C", "a", "fetch");
        JsonNode after = json(0, "-C", "a", "fsck", "--remote", "--json");
        assertThat(after.path("files").asLong()).isEqualTo(2);
        assertThat(after.path("warnings")).isEmpty();
    }

    @Test
    void anUnreachableStoreExits7AndAnUnknownOneIsNotFound() throws Exception {
        Files.move(remoteStore, root.resolve("store-away"));
        CliHarness.Result gone = run(7, "-C", "a", "fsck", "--remote");
        assertThat(gone.stderr().lines().filter(l -> l.startsWith("mlv: ")).count()).isEqualTo(1);
        assertThat(gone.stderr()).contains("does not exist or is not mounted");
        run(7, "-C", "a", "fsck", "--remote", "--repair");
        run(5, "-C", "a", "fsck", "--remote=nowhere");
    }
}
