package dev.mlv.cli;

import dev.mlv.core.workspace.Cat;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv cat REF:PATH}. */
@Command(
        name = "cat",
        description = {
            "Write a committed file's real content to stdout (or -o FILE); large files are rebuilt from the store"
                    + " and verified. Reads the commit directly: the work tree is not touched.",
        },
        footer = {"", "--json needs -o FILE (then it prints {commit, path, output, bytes, large, oid}).",
            "", "Examples:", "  mlv cat HEAD~1:models/model.bin | sha256sum",
            "  mlv cat prod:metrics/metrics.json", "  mlv cat dev:models/model.onnx -o /tmp/model.onnx"})
final class CatCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "REF:PATH", description = "A branch, tag or commit, a colon, and a path in it.")
    private String spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout (- is stdout). A regular or new file is"
            + " replaced atomically once verified; a device, FIFO or symlink is written through.")
    private Path output;

    CatCommand(CliContext context) {
        this.context = context;
    }

    /** The {@code --json} document of {@code cat -o FILE}. */
    record Written(String commit, String path, String output, long bytes, boolean large, String oid) {
    }

    @Override
    public Integer call() throws Exception {
        String[] refPath = Cat.split(spec);
        Path output = ContentOutput.isStdout(this.output) ? null : this.output;
        if (context.json() && output == null) {
            throw MlvException.usage("--json needs -o FILE: without it the content itself is what cat prints");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             Progress progress = Progress.bytes(context, "cat", 0)
                     .onInterrupt(output == null ? "the output is incomplete" : output + " was not written")) {
            Cat cat = new Cat(repo).setProgress(progress);
            if (output == null) {
                OutputStream out = new BufferedOutputStream(context.environment().out(), 1 << 16);
                cat.call(refPath[0], refPath[1], out);
                out.flush();
                return ExitCodes.OK;
            }
            Cat.Result[] result = new Cat.Result[1];
            ContentOutput.write(context.directory().resolve(output),
                    out -> result[0] = cat.call(refPath[0], refPath[1], out));
            progress.close();
            Cat.Result r = result[0];
            if (context.json()) {
                context.printJson(new Written(r.commit(), r.path(), output.toString(), r.bytes(), r.large(), r.oid()));
            } else {
                context.note("wrote " + output + " (" + Sizes.human(r.bytes()) + ")");
            }
            return ExitCodes.OK;
        }
    }
}
