package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.plumbing.StorePlumbing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mlv store put FILE}: chunk and store a file, print its pointer. */
@Command(
        name = "put",
        description = "Store a file's content and print its pointer (the Git LFS pointer Git would keep).",
        footer = {
            "",
            "Examples:",
            "  mlv store put models/model.bin",
            "  mlv store put --store /tmp/store --json weights.safetensors",
        })
final class StorePutCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    private StoreOption store;

    @Parameters(paramLabel = "FILE", description = "The file to store.")
    private Path file;

    StorePutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Path path = context.directory().resolve(file);
        if (!Files.isRegularFile(path)) {
            throw MlvException.notFound("no such file: " + path);
        }
        try (StorePlumbing plumbing = StorePlumbing.open(context.directory(), store.dir, true, context.session());
             Progress progress = Progress.bytes(context, "storing " + file, Files.size(path))) {
            StorePlumbing.Put put = plumbing.put(path, progress);
            progress.done();
            if (context.json()) {
                context.printJson(put);
            } else {
                context.out().print(put.pointer());
                context.note(String.format("stored %s: %s new, %s reused, %d chunks (%d new)",
                        Sizes.human(put.size()), Sizes.human(put.newBytes()), Sizes.human(put.reusedBytes()),
                        put.chunks(), put.newChunks()));
            }
            return ExitCodes.OK;
        }
    }
}
