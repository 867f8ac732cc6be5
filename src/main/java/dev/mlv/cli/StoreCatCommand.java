package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.plumbing.StorePlumbing;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv store cat OID}: content to stdout, verified. */
@Command(
        name = "cat",
        description = "Write the content of an oid to stdout (or -o FILE), verified against the oid.",
        footer = {
            "",
            "Examples:",
            "  mlv store cat 4d7a2146...e5b0 > model.bin",
            "  mlv store cat sha256:4d7a2146...e5b0 -o model.bin",
            "",
            "--json needs -o FILE (then it prints {oid, output, bytes}).",
        })
final class StoreCatCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    private StoreOption store;

    @Parameters(paramLabel = "OID", description = "sha256 of the content: 64 hex digits, optionally 'sha256:'-prefixed.")
    private String oid;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout (- is stdout). A regular or new file is"
            + " replaced atomically once verified; a device, FIFO or symlink is written through.")
    private Path output;

    StoreCatCommand(CliContext context) {
        this.context = context;
    }

    /** The {@code --json} document of {@code store cat -o FILE}. */
    record Written(String oid, String output, long bytes) {
    }

    @Override
    public Integer call() throws Exception {
        Path output = ContentOutput.isStdout(this.output) ? null : this.output;
        if (context.json() && output == null) {
            throw MlvException.usage("--json needs -o FILE: without it the content itself is what store cat prints");
        }
        try (StorePlumbing plumbing = StorePlumbing.open(context.directory(), store.dir, false, context.session())) {
            if (output == null) {
                OutputStream out = new BufferedOutputStream(context.environment().out(), 1 << 16);
                plumbing.cat(oid, out);
                out.flush();
                return ExitCodes.OK;
            }
            long[] bytes = new long[1];
            ContentOutput.write(context.directory().resolve(output), out -> bytes[0] = plumbing.cat(oid, out));
            if (context.json()) {
                context.printJson(new Written(StorePlumbing.canonicalOid(oid), output.toString(), bytes[0]));
            }
            return ExitCodes.OK;
        }
    }
}
