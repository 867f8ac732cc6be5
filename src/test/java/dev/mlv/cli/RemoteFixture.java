package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Repositories, a bare Git remote and model bytes for the remote tests; everything under one temp root. */
final class RemoteFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Small enough for a loaded machine, large enough for 2% of it to span several chunks. */
    static final int MODEL_SIZE = 8 << 20;

    final Path root;
    final CliHarness mlv;
    final Path bare;

    RemoteFixture(Path root) throws Exception {
        this.root = root;
        this.mlv = new CliHarness(root);
        this.bare = root.resolve("origin.git");
        try (Git ignored = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
            // an empty bare repository, as a Git host would have
        }
    }

    CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    JsonNode json(String... args) throws IOException {
        return JSON.readTree(ok(args).stdout());
    }

    /** Repository {@code name} with Git remote origin = the bare repository and store remote origin = {@code storeArgs}. */
    Path repo(String name, String... storeArgs) {
        ok("init", name);
        ok("-C", name, "remote", "add", "origin", bare.toString());
        String[] set = new String[5 + storeArgs.length];
        set[0] = "-C";
        set[1] = name;
        set[2] = "store";
        set[3] = "remote";
        set[4] = "set";
        System.arraycopy(storeArgs, 0, set, 5, storeArgs.length);
        ok(set);
        return root.resolve(name);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A copy with 2% of the bytes (one contiguous block, as when one layer is retrained) replaced. */
    static byte[] changeTwoPercent(byte[] model, long seed) {
        byte[] v2 = model.clone();
        byte[] block = random(model.length / 50, seed);
        System.arraycopy(block, 0, v2, model.length / 3, block.length);
        return v2;
    }

    static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    /** The commit a ref names in the bare remote, or null. */
    String remoteRef(String ref) throws IOException {
        try (Repository git = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
            var r = git.exactRef(ref);
            return r == null ? null : r.getObjectId().name();
        }
    }
}
