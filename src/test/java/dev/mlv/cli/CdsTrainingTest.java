package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.store.Pointer;
import dev.mlv.store.StoreOptions;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's class-data training run, on a scratch directory as the launcher runs it. */
class CdsTrainingTest {
    @TempDir
    Path scratch;

    /**
     * The training commits a model larger than two of the put pipeline's read buffers, so the
     * archive holds what a commit of a real model runs (the pipeline's threads, their lambdas and
     * method-handle forms); a model of one buffer or less takes the small-file path only.
     */
    @Test
    void trainsTheCommitOfAModelThroughThePutPipeline() throws Exception {
        CdsTraining.main(new String[] {scratch.toString()});

        try (Repository git = new FileRepositoryBuilder().setWorkTree(scratch.resolve("repo").toFile()).setup().build()) {
            ObjectId blob = git.resolve(Constants.HEAD + ":models/model.bin");
            assertThat(blob).as("the training committed the model").isNotNull();
            Pointer pointer = Pointer.parse(git.open(blob).getBytes());
            assertThat(pointer.size()).isEqualTo(CdsTraining.MODEL_BYTES)
                    .isGreaterThan(2L * StoreOptions.defaults().blockSize());
        }
    }

    /**
     * The training's switches change the model (a retrained range, then half of it), so the archive
     * holds the checkout's large-file paths, and they all went through: each branch has its own
     * model and the training ends back on main.
     */
    @Test
    void trainsSwitchesThatRewriteAndRebuildTheModel() throws Exception {
        CdsTraining.main(new String[] {scratch.toString()});

        try (Repository git = new FileRepositoryBuilder().setWorkTree(scratch.resolve("repo").toFile()).setup().build()) {
            assertThat(git.getBranch()).isEqualTo("main");
            ObjectId main = git.resolve("main:models/model.bin");
            ObjectId dev = git.resolve("dev:models/model.bin");
            ObjectId half = git.resolve("half:models/model.bin");
            assertThat(java.util.Set.of(main, dev, half)).as("three versions of the model").hasSize(3);
            assertThat(git.resolve("half~1")).isEqualTo(git.resolve("dev"));
        }
    }
}
