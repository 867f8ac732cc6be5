package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.pack.PackFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * switch writes a large file's new version from the store, copying the chunks it keeps from the
 * file it replaces; every chunk it does read from a pack is checked, and a damaged one stops the
 * switch (exit 6) with nothing changed.
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
}
