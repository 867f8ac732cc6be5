package dev.mlv.cli;

import dev.mlv.core.plumbing.StorePlumbing;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mlv store verify}: re-hash every chunk, check every manifest. */
@Command(
        name = "verify",
        description = {
            "Re-hash every chunk and check that every file's chunks are present.",
            "Exits 6 when anything is damaged or missing.",
        },
        footer = {"", "Examples:", "  mlv store verify", "  mlv store verify --json | jq .problems"})
final class StoreVerifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    private StoreOption store;

    StoreVerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (StorePlumbing plumbing = StorePlumbing.open(context.directory(), store.dir, false, context.session())) {
            StorePlumbing.Verify v = plumbing.verify();
            if (context.json()) {
                context.printJson(v);
            } else {
                v.problems().forEach(p -> context.out().println("problem: " + p));
                v.warnings().forEach(w -> context.out().println("warning: " + w));
                context.out().printf("%s: %d packs, %d chunks, %d files checked, %d problems%n",
                        v.ok() ? "ok" : "damaged", v.packs(), v.chunks(), v.files(), v.problems().size());
            }
            return v.ok() ? ExitCodes.OK : ExitCodes.INTEGRITY;
        }
    }
}
