package dev.mlv.cli;

import dev.mlv.core.integrity.Fsck;
import dev.mlv.core.MlvRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv fsck}: is every file the branches and tags need whole in the local store (or a store remote)? */
@Command(
        name = "fsck",
        description = {
            "Check that every large file reachable from the branches and tags has its manifest and all its chunks"
                    + " in the local store, and that pack indexes agree with their packs.",
            "Problems name the object and the branch:path of the files that need it. Exits 6 when anything is"
                    + " damaged or missing, 7 when a remote is unreachable.",
        },
        footer = {"", "Examples:", "  mlv fsck", "  mlv fsck --read-data", "  mlv fsck --read-data-subset 10 --all-refs",
            "  mlv fsck --read-data --repair", "  mlv fsck --remote", "  mlv fsck --remote=backup --read-data",
            "  mlv fsck --remote --repair",
            "  mlv fsck --json | jq '.problems[].affects'"})
final class FsckCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--all-refs", description = "Also check what remote-tracking refs, the stash, every reflog entry"
            + " and the index reach.")
    private boolean allRefs;

    @Option(names = "--all", description = "Count file versions that were never downloaded (a lazy clone fetches"
            + " history when needed) as problems; without it they are reported apart and are not damage.")
    private boolean all;

    @ArgGroup(exclusive = true)
    private DataReading dataReading;

    @Option(names = "--repair", description = "Repair the local store: rebuild lost or damaged pack indexes from their"
            + " packs' footers, set damaged packs aside (keeping their sound chunks), fetch lost or damaged content"
            + " from the store remote (every chunk checked), then check again. With --remote: upload again from the"
            + " local store what the store remote lacks.")
    private boolean repair;

    @Option(names = "--remote", arity = "0..1", paramLabel = "NAME", fallbackValue = "",
            description = "Check the store remote NAME (default: origin, else the only one) instead of the local store:"
                    + " what the Git remote of that name has now must be whole there. With --read-data, the chunks"
                    + " those files need are read back and re-hashed.")
    private String remote;

    static final class DataReading {
        @Option(names = "--read-data", description = "Re-hash every chunk of every pack.")
        boolean all;

        @Option(names = "--read-data-subset", paramLabel = "PCT",
                description = "Re-hash the chunks of PCT%% of the packs (the same packs on every run).")
        Integer percent;
    }

    FsckCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        int percent = dataReading == null ? 0 : dataReading.all ? 100 : dataReading.percent;
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Fsck fsck = new Fsck(repo).setAllRefs(allRefs).setReadDataPercent(percent).setRepair(repair)
                    .setRequireAll(all);
            if (remote != null) {
                fsck.setRemote(remote);
            }
            Fsck.Result r = fsck.call();
            if (context.json()) {
                context.printJson(r);
            } else {
                r.repaired().forEach(line -> context.out().println("repaired: " + line));
                for (Fsck.Problem p : r.problems()) {
                    context.out().println("problem: " + p.object() + ": " + p.message());
                    if (!p.affects().isEmpty()) {
                        context.out().println("  needed by: " + String.join(", ", p.affects()));
                    }
                }
                r.warnings().forEach(w -> context.out().println("warning: " + w));
                context.out().printf("%s%s: %d pointers (%d files) from %d refs, %d packs, %d chunks re-hashed in %d packs,"
                                + " %d problems%n", r.storeRemote() == null ? "" : "store remote '" + r.storeRemote() + "': ",
                        r.ok() ? "ok" : "damaged", r.pointers(), r.files(), r.roots(),
                        r.packs(), r.chunksRead(), r.packsRead(), r.problems().size());
            }
            return r.ok() ? ExitCodes.OK : ExitCodes.INTEGRITY;
        }
    }
}
