package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packs between a directory store remote and the local stores of one machine: hard-linked when a
 * push or pull needs one whole (as git clone links a local repository's objects), copied with
 * {@code --no-hard-links}.
 */
class HardLinkedPacksTest {
    @TempDir
    Path root;

    /** The number of names each pack file of a store has, by pack file name. */
    private static List<Long> linkCounts(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store.resolve("packs"))) {
            return files.filter(p -> p.toString().endsWith(".pack")).map(p -> {
                try {
                    return ((Number) Files.getAttribute(p, "unix:nlink")).longValue();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** Alice commits a 12 MiB model and pushes; Bob clones. */
    private RemoteFixture pushAndClone(String... storeArgs) throws Exception {
        RemoteFixture f = new RemoteFixture(root);
        Path a = f.repo("a", Stream.concat(Stream.of("origin"), Stream.of(storeArgs)).toArray(String[]::new));
        RemoteFixture.write(a.resolve("models/model.bin"), RemoteFixture.random(12 << 20, 5));
        f.ok("-C", "a", "train-commit", "-m", "model");
        f.ok("-C", "a", "push");
        f.ok("clone", f.bare.toString(), "b");
        assertThat(Files.readAllBytes(root.resolve("b/models/model.bin"))).isEqualTo(RemoteFixture.random(12 << 20, 5));
        return f;
    }

    @Test
    void aPushAndAPullOnOneFileSystemLinkWholePacksAndEveryStoreStaysSound() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        RemoteFixture f = pushAndClone(store.toString());

        // Alice's store, the remote and Bob's store: one file under three names
        assertThat(linkCounts(store)).isNotEmpty().allMatch(n -> n == 3);
        assertThat(linkCounts(root.resolve("b/.git/mlv/store"))).allMatch(n -> n == 3);
        f.ok("-C", "b", "fsck", "--read-data");
        f.ok("-C", "a", "fsck", "--remote", "--read-data");
    }

    @Test
    void noHardLinksCopiesPacksAndIsRefusedForS3() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        RemoteFixture f = pushAndClone(store.toString(), "--no-hard-links");

        assertThat(linkCounts(store)).isNotEmpty().allMatch(n -> n == 1);
        assertThat(linkCounts(root.resolve("a/.git/mlv/store"))).allMatch(n -> n == 1);
        assertThat(linkCounts(root.resolve("b/.git/mlv/store"))).isNotEmpty().allMatch(n -> n == 1);
        JsonNode config = RemoteFixture.JSON.readTree(root.resolve("a/.mlv/config.json").toFile());
        assertThat(config.at("/store/remotes/origin/hardLinks").asBoolean(true)).isFalse();
        assertThat(f.ok("-C", "a", "store", "remote", "show").stdout()).contains("no-hard-links");

        CliHarness.Result s3 = f.mlv.run("-C", "a", "store", "remote", "set", "other", "s3://bucket/x", "--no-hard-links");
        assertThat(s3.exitCode()).as(s3.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(s3.stderr()).contains("directory stores only");
    }
}
