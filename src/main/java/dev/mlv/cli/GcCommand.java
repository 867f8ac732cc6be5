package dev.mlv.cli;

import dev.mlv.core.integrity.Gc;
import dev.mlv.core.MlvRepository;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv gc}: remove store content that no ref, reflog entry or index entry reaches. */
@Command(
        name = "gc",
        description = {
            "Remove large-file content nothing reaches any more: not any branch, tag, remote-tracking ref, stash,"
                    + " reflog entry or the index. Content younger than the grace period is kept. Packs whose unused"
                    + " share is above --max-unused are rewritten, and packs smaller than a quarter of the pack size are merged into"
                    + " packs of about that size. Stale temp files are removed.",
            "Takes the store lock exclusively: waits --wait for running writers, then fails (exit 1).",
            "With --remote, collects on the store remote instead: takes its lock exclusively (waiting --wait for"
                    + " running pushes), fetches every Git remote, then keeps what any ref (remote-tracking refs"
                    + " included), reflog entry or the index reaches, and anything younger than the grace period by the"
                    + " remote's clock. Incomplete uploads and stale locks of killed pushes are removed. Exit 7 when a"
                    + " remote is unreachable; nothing is removed then.",
        },
        footer = {"", "Examples:", "  mlv gc --dry-run", "  mlv gc", "  mlv gc --grace 0 --max-unused 0 --json",
            "  mlv gc --wait 10m", "  mlv gc --remote --dry-run", "  mlv gc --remote=backup --grace 7d"})
final class GcCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--dry-run", description = "Report what would be removed; remove nothing.")
    private boolean dryRun;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "Keep anything younger than this (default ${DEFAULT-VALUE}; e.g. 0, 90s, 30m, 7d, PT1H).")
    private Duration grace;

    @Option(names = "--max-unused", paramLabel = "PCT", defaultValue = "5",
            description = "Rewrite packs more than PCT%% unused (default ${DEFAULT-VALUE}).")
    private double maxUnused;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to wait for writers holding the store lock, or with --remote for pushes holding"
                    + " the store remote's lock (default ${DEFAULT-VALUE}).")
    private Duration wait;

    @Option(names = "--remote", arity = "0..1", paramLabel = "NAME", fallbackValue = "",
            description = "Collect on the store remote NAME (default: origin, else the only one) instead of the local"
                    + " store. Keep --grace well above the longest push (default 24h).")
    private String remote;

    GcCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Gc gc = new Gc(repo).setDryRun(dryRun).setGrace(grace).setMaxUnusedPercent(maxUnused).setWait(wait);
            if (remote != null) {
                gc.setRemote(remote);
            }
            Gc.Result r = gc.call();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            String verb = dryRun ? "would remove " : "removed ";
            r.removedManifests().forEach(k -> context.info(verb + k));
            r.removedPacks().forEach(k -> context.info(verb + k));
            r.repacked().forEach(p -> context.info((dryRun ? "would repack " : "repacked ") + p.oldPack()
                    + (p.newPack() == null ? "" : " into " + p.newPack()) + " (" + Sizes.human(p.unusedBytes()) + " unused)"));
            r.merged().forEach(m -> context.info((dryRun ? "would merge " : "merged ") + m.oldPacks().size()
                    + " small packs" + (m.newPack() == null ? "" : " into " + m.newPack()) + " (" + m.liveChunks()
                    + " chunks)"));
            r.indexesRebuilt().forEach(k -> context.info((dryRun ? "would rebuild " : "rebuilt ") + k));
            r.removedTemp().forEach(k -> context.info(verb + k));
            r.skipped().forEach(s -> context.warn("skipped " + s));
            r.fetched().forEach(name -> context.note("fetched " + name + " to mark what it reaches"));
            context.out().printf("%s%s%d manifests, %d packs, %d temp files; %s %d packs; %s %d small packs into %d; %s %s; kept %d young objects;"
                            + " %d files reachable%n", r.storeRemote() == null ? "" : "store remote '" + r.storeRemote() + "': ",
                    verb, r.removedManifests().size(), r.removedPacks().size(),
                    r.removedTemp().size(), dryRun ? "would repack" : "repacked", r.repacked().size(),
                    dryRun ? "would merge" : "merged", r.merged().stream().mapToInt(m -> m.oldPacks().size()).sum(),
                    r.merged().size(), dryRun ? "would free" : "freed", Sizes.human(r.bytesFreed()),
                    r.keptYoung(), r.reachableFiles());
            return ExitCodes.OK;
        }
    }
}
