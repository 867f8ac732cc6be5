package dev.mlv.cli;

import dev.mlv.core.plumbing.StorePlumbing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mlv store chunks FILE}: how the store would cut a file, without storing it. */
@Command(
        name = "chunks",
        description = "List the chunks a file is cut into (offset, length, id), without storing anything.",
        footer = {
            "",
            "Examples:",
            "  mlv store chunks models/model.bin | head",
            "  mlv store chunks --json data.csv | jq '.chunks | length'",
        })
final class StoreChunksCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "FILE", description = "The file to cut.")
    private Path file;

    StoreChunksCommand(CliContext context) {
        this.context = context;
    }

    /** The JSON document. */
    record Listing(String file, String oid, long size, List<StorePlumbing.Chunk> chunks) {
    }

    @Override
    public Integer call() throws Exception {
        Path path = context.directory().resolve(file);
        if (context.json()) {
            List<StorePlumbing.Chunk> chunks = new ArrayList<>();
            String oid = StorePlumbing.chunks(path, chunks::add);
            long size = chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).offset() + chunks.get(chunks.size() - 1).length();
            context.printJson(new Listing(file.toString(), oid, size, chunks));
        } else {
            PrintWriter out = context.out();
            out.printf("%12s %8s  %s%n", "offset", "length", "id");
            String oid = StorePlumbing.chunks(path, c -> out.printf("%12d %8d  %s%n", c.offset(), c.length(), c.id()));
            context.note("oid sha256:" + oid);
        }
        return ExitCodes.OK;
    }
}
