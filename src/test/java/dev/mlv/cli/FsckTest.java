package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlv.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corruption is found by fsck and by reads: a flipped byte in a pack, a deleted pack, a deleted
 * index, a truncated manifest or pack. A read exits 6 and never writes bad bytes ({@code -o FILE}
 * is neither created nor replaced); a lost index is rebuilt by {@code fsck --repair}.
 */
class FsckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;
    StoreDamage store;
    byte[] model;

    @BeforeEach
    void commitOneModel() throws Exception {
        repo = root.resolve("proj");
        assertThat(new CliHarness(root).run("init", "proj").exitCode()).isZero();
        mlv = new CliHarness(repo);
        store = new StoreDamage(repo);
        model = new byte[300_000];
        new Random(7).nextBytes(model);
        Files.write(repo.resolve("models/model.bin"), model);
        ok("train-commit", "-m", "first model");
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private CliHarness.Result fails(int exit, String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        return r;
    }

    /** cat -o must leave an existing FILE untouched and not create a missing one. */
    private void catRefusesWithoutWriting() throws Exception {
        Path fresh = root.resolve("fresh.bin");
        CliHarness.Result r = fails(6, "cat", "main:models/model.bin", "-o", fresh.toString());
        assertThat(r.stderr()).startsWith("mlv: ").contains("corrupt");
        assertThat(fresh).doesNotExist();
        Path existing = root.resolve("existing.bin");
        Files.writeString(existing, "keep me");
        fails(6, "cat", "main:models/model.bin", "-o", existing.toString());
        assertThat(existing).hasContent("keep me");
        try (var s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".mlv-tmp"));
        }
        CliHarness.Result toStdout = fails(6, "cat", "main:models/model.bin");
        assertThat(toStdout.stdoutBytes().length).isLessThan(model.length);
    }

    @Test
    void aSoundRepositoryPasses() throws Exception {
        CliHarness.Result r = ok("fsck", "--read-data", "--json");
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.get("ok").asBoolean()).isTrue();
        assertThat(doc.get("files").asLong()).isEqualTo(1);
        assertThat(doc.get("packsRead").asLong()).isEqualTo(1);
        assertThat(doc.get("chunksRead").asLong()).isGreaterThan(1);
        assertThat(ok("fsck").stdout()).startsWith("ok: 1 pointers (1 files)");
    }

    @Test
    void tempFilesLeftByKilledWritersAreListed() throws Exception {
        // What a train-commit killed mid-put leaves in the store, and a switch or cat -o killed
        // mid-write beside its target in the work tree.
        Path storeTemp = repo.resolve(".git/mlv/store/tmp/pack-0b5a6c1e.tmp");
        Files.write(storeTemp, new byte[123_456]);
        Path workTreeTemp = repo.resolve("models/.model.bin.3f2a9c1d.mlv-tmp");
        Files.write(workTreeTemp, new byte[1000]);
        CliHarness.Result r = ok("fsck");
        assertThat(r.stdout()).contains("warning: .git/mlv/store/tmp/pack-0b5a6c1e.tmp")
                .contains("warning: models/.model.bin.3f2a9c1d.mlv-tmp").contains("'mlv gc'");
        JsonNode doc = JSON.readTree(ok("fsck", "--json").stdout());
        assertThat(doc.get("ok").asBoolean()).as("leftovers are not damage").isTrue();
        assertThat(doc.get("warnings").toString()).contains("123456").contains("pack-0b5a6c1e.tmp")
                .contains(".model.bin.3f2a9c1d.mlv-tmp");
    }

    @Test
    void aFlippedByteIsFoundByDataReadingAndByCat() throws Exception {
        StoreDamage.flipByte(store.onlyPack(), 8 + 44 + 1000);
        CliHarness.Result r = fails(6, "fsck", "--read-data");
        assertThat(r.stdout()).contains("problem: packs/").contains("is corrupt")
                .contains("needed by: HEAD:models/model.bin, main:models/model.bin");
        assertThat(fails(6, "fsck", "--read-data-subset", "100").stdout()).contains("is corrupt");
        catRefusesWithoutWriting();
    }

    @Test
    void aDeletedPackIsFoundWithoutReadingData() throws Exception {
        Files.delete(store.onlyPack());
        CliHarness.Result r = fails(6, "fsck", "--json");
        JsonNode doc = JSON.readTree(r.stdout());
        assertThat(doc.get("problems").toString()).contains("is missing").contains("main:models/model.bin");
        catRefusesWithoutWriting();
    }

    @Test
    void aDeletedIndexIsFoundAndRepaired() throws Exception {
        Path pack = store.onlyPack();
        Path index = store.indexOf(pack);
        byte[] original = Files.readAllBytes(index);
        Files.delete(index);
        CliHarness.Result r = fails(6, "fsck");
        assertThat(r.stdout()).contains("index is missing").contains("mlv fsck --repair");
        catRefusesWithoutWriting();

        CliHarness.Result repaired = ok("fsck", "--repair");
        assertThat(repaired.stdout()).contains("repaired: index/");
        assertThat(Files.readAllBytes(index)).as("rebuilt byte for byte").isEqualTo(original);
        assertThat(ok("cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
        ok("fsck", "--read-data");
    }

    @Test
    void aDamagedIndexIsRepairedToo() throws Exception {
        Path index = store.indexOf(store.onlyPack());
        StoreDamage.flipByte(index, 60);
        try (LogCapture catalog = LogCapture.of("dev.mlv.store.PackCatalog")) {
            fails(6, "fsck");
            ok("fsck", "--repair");
            assertThat(catalog.lines()).as("the store reads on without the damaged index, and says so").isNotEmpty()
                    .allSatisfy(l -> assertThat(l)
                            .startsWith("WARN skipping unreadable pack index: index index/" + index.getFileName()));
        }
        assertThat(ok("cat", "main:models/model.bin").stdoutBytes()).isEqualTo(model);
    }

    @Test
    void withoutAStoreRemoteRepairSaysThatLostDataNeedsOne() throws Exception {
        Files.delete(store.onlyPack());
        CliHarness.Result r = fails(6, "fsck", "--repair");
        assertThat(r.stdout()).contains("repaired: index/").contains("its pack is missing")
                .contains("can only be fetched from a store remote, and none is configured")
                .contains("mlv store remote set origin URL").contains("needed by: HEAD:models/model.bin");
        catRefusesWithoutWriting();
        // The useless index is gone, so a later fetch of the chunks would be found, not hidden.
        assertThat(store.files("index", ".idx")).isEmpty();
    }

    @Test
    void aTruncatedManifestIsFound() throws Exception {
        Path manifest = store.files("manifests", "").get(0);
        StoreDamage.truncate(manifest, Files.size(manifest) - 20);
        assertThat(fails(6, "fsck").stdout()).contains("manifest").contains("main:models/model.bin");
        catRefusesWithoutWriting();
    }

    @Test
    void aTruncatedPackIsFound() throws Exception {
        Path pack = store.onlyPack();
        StoreDamage.truncate(pack, Files.size(pack) / 2);
        assertThat(fails(6, "fsck").stdout()).contains("pack is damaged").contains("main:models/model.bin");
        catRefusesWithoutWriting();
    }

    @Test
    void damageInHistoryNamesTheCommit() throws Exception {
        Path manifest = store.files("manifests", "").get(0);
        Files.write(repo.resolve("models/model.bin"), new byte[] {1, 2, 3});
        ok("train-commit", "-m", "tiny model");
        Files.delete(manifest);
        CliHarness.Result r = fails(6, "fsck");
        assertThat(r.stdout()).contains("not in the store").containsPattern("main \\(commit [0-9a-f]{12}\\):models/model.bin");
    }

    @Test
    void subsetReadingIsDeterministic() throws Exception {
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[20_000];
            new Random(i).nextBytes(b);
            Files.write(repo.resolve("models/m" + i + ".bin"), b);
            ok("train-commit", "-m", "model " + i);
        }
        JsonNode a = JSON.readTree(ok("fsck", "--read-data-subset", "50", "--json").stdout());
        JsonNode b = JSON.readTree(ok("fsck", "--read-data-subset", "50", "--json").stdout());
        assertThat(a.get("packs").asLong()).isEqualTo(4);
        assertThat(a.get("packsRead").asLong()).isEqualTo(2);
        assertThat(a.get("chunksRead")).isEqualTo(b.get("chunksRead"));
        fails(2, "fsck", "--read-data", "--read-data-subset", "5");
    }
}
