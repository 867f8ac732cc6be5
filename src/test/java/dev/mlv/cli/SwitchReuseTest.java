package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.core.internal.FileHolder;
import dev.mlv.store.pack.PackFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * switch writes a large file's new version from the store, copying the chunks it keeps from the
 * file it replaces; every chunk it does read from a pack is checked, and a damaged one stops the
 * switch (exit 6) with nothing changed. When the versions differ in a few ranges only, the file is
 * rewritten in those ranges (on Linux, where the checkout's file can be found), never while another
 * hard link shares it nor another process holds it open or mapped, and never before every chunk it receives has been checked.
 */
class SwitchReuseTest {
    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void init() {
        repo = root.resolve("proj");
        mlv = CliHarness.inNewRepository(root, "proj");
    }


    private Path model() {
        return repo.resolve("models/model.bin");
    }

    private List<Path> packs() throws IOException {
        return new StoreDamage(repo).files("packs", ".pack");
    }

    @Test
    void theChunksAModelKeepsAreCopiedFromTheFileItReplacesNotReadFromPacks() throws Exception {
        byte[] v1 = CliHarness.randomBytes(3_000_000, 21);
        Files.write(model(), v1);
        mlv.ok("train-commit", "-m", "v1");
        Path v1Pack = new StoreDamage(repo).onlyPack();
        mlv.ok("switch", "--create", "exp");
        byte[] v2 = v1.clone();
        System.arraycopy(CliHarness.randomBytes(60_000, 22), 0, v2, 1_500_000, 60_000);
        Files.write(model(), v2);
        mlv.ok("train-commit", "-m", "v2");
        assertThat(packs()).as("v2's new chunks went into a pack of their own").hasSize(2);

        // v1's first chunk, which v2 keeps, is damaged in its pack: a switch that read it would fail
        StoreDamage.flipByte(v1Pack, PackFormat.PACK_HEADER_SIZE + PackFormat.ENTRY_HEADER_SIZE + 100);
        mlv.ok("switch", "main");
        assertThat(Files.readAllBytes(model())).isEqualTo(v1);
        assertThat(mlv.run("cat", "main:models/model.bin").exitCode()).as("the pack is damaged all the same")
                .isEqualTo(ExitCodes.INTEGRITY);
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    @Test
    void aDamagedChunkTheSwitchReadsExitsWithIntegrityAndChangesNothing() throws Exception {
        byte[] v1 = CliHarness.randomBytes(2_000_000, 23);
        Files.write(model(), v1);
        mlv.ok("train-commit", "-m", "v1");
        Path v1Pack = new StoreDamage(repo).onlyPack();
        mlv.ok("switch", "--create", "exp");
        Files.write(model(), CliHarness.randomBytes(2_000_000, 24));
        mlv.ok("train-commit", "-m", "other model");
        mlv.ok("switch", "main");
        Path expPack = packs().stream().filter(p -> !p.equals(v1Pack)).findFirst().orElseThrow();
        StoreDamage.flipByte(expPack, Files.size(expPack) / 2);

        CliHarness.Result r = mlv.run("switch", "exp");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(r.stderr()).startsWith("mlv: ").contains("corrupt");
        try (Git git = Git.open(repo.toFile())) {
            assertThat(git.getRepository().getBranch()).isEqualTo("main");
        }
        assertThat(Files.readAllBytes(model())).isEqualTo(v1);
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    /** v1 and a v2 with 60 kB rewritten in the middle, committed on main and exp; the work tree at main's v1. */
    private byte[][] twoVersionsAtMain() throws Exception {
        return twoVersionsAtMain(9_000_000); // past CheckoutFile.WORTH_IT (8 MiB), as rewrites in place are
    }

    private byte[][] twoVersionsAtMain(int size) throws Exception {
        byte[] v1 = CliHarness.randomBytes(size, 31);
        Files.write(model(), v1);
        mlv.ok("train-commit", "-m", "v1");
        mlv.ok("switch", "--create", "exp");
        byte[] v2 = v1.clone();
        System.arraycopy(CliHarness.randomBytes(60_000, 32), 0, v2, size / 2, 60_000);
        Files.write(model(), v2);
        mlv.ok("train-commit", "-m", "v2");
        mlv.ok("switch", "main");
        return new byte[][] {v1, v2};
    }

    private Object inode() throws IOException {
        return Files.readAttributes(model(), BasicFileAttributes.class).fileKey();
    }

    private List<Path> checkoutLeftovers() throws IOException {
        try (var files = Files.list(model().getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith("._")).toList(); // the checkout's ._NAME<digits>.tmp
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // where the checkout's file is found through /proc/self/fd
    void aModelWithAFewRangesRewrittenKeepsItsFileAndOnlyThoseRangesChange() throws Exception {
        byte[][] v = twoVersionsAtMain();
        Object file = inode();

        mlv.ok("switch", "exp");
        assertThat(Files.readAllBytes(model())).isEqualTo(v[1]);
        assertThat(inode()).as("rewritten in place, not replaced by a copy").isEqualTo(file);
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
        mlv.ok("switch", "main");
        assertThat(Files.readAllBytes(model())).isEqualTo(v[0]);
        assertThat(inode()).isEqualTo(file);
        assertThat(checkoutLeftovers()).isEmpty();
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    @Test
    void aDamagedChunkOfARangeToRewriteLeavesTheFileUntouched() throws Exception {
        byte[][] v = twoVersionsAtMain();
        // v2's own chunks (the rewritten range) are the only ones in the exp commit's pack
        assertThat(packs()).hasSize(2);
        Path v2Pack = packs().stream().min(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        assertThat(Files.size(v2Pack)).as("v2's pack holds its rewritten range only").isLessThan(1_000_000);
        StoreDamage.flipByte(v2Pack, Files.size(v2Pack) / 2);
        Object file = inode();

        CliHarness.Result r = mlv.run("switch", "exp");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(Files.readAllBytes(model())).as("not one byte rewritten before the check").isEqualTo(v[0]);
        assertThat(inode()).isEqualTo(file);
        assertThat(checkoutLeftovers()).isEmpty();
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    @Test
    void aModelWithAnotherHardLinkIsReplacedAndTheLinkKeepsItsVersion() throws Exception {
        byte[][] v = twoVersionsAtMain();
        Path link = Files.createLink(root.resolve("kept.bin"), model());

        mlv.ok("switch", "exp");
        assertThat(Files.readAllBytes(model())).isEqualTo(v[1]);
        assertThat(Files.readAllBytes(link)).as("the other link still holds v1").isEqualTo(v[0]);
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    /** A serving process that mapped v1 keeps reading v1, as after git checkout: the file is replaced, not rewritten. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aModelAnotherProcessHasMappedIsReplacedAndThatProcessKeepsItsVersion() throws Exception {
        byte[][] v = twoVersionsAtMain();
        Object file = inode();
        FileHolder server = FileHolder.start("map", model());
        String seen;
        try {
            mlv.ok("switch", "exp");
        } finally {
            seen = server.close();
        }
        assertThat(Files.readAllBytes(model())).isEqualTo(v[1]);
        assertThat(inode()).as("replaced, not rewritten under the reader").isNotEqualTo(file);
        assertThat(seen).as("the mapping still shows v1").isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v[0])));
        assertThat(mlv.ok("status", "--json").stdout()).contains("\"clean\" : true");
    }

    /** Small files are replaced as before: no look at other processes per file in a switch of thousands of shards. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aModelUnderTheLargeFileSizeIsReplacedNotRewritten() throws Exception {
        byte[][] v = twoVersionsAtMain(3_000_000);
        Object file = inode();

        mlv.ok("switch", "exp");
        assertThat(Files.readAllBytes(model())).isEqualTo(v[1]);
        assertThat(inode()).isNotEqualTo(file);
    }
}
