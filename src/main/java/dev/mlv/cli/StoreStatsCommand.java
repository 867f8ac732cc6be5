package dev.mlv.cli;

import dev.mlv.core.plumbing.StorePlumbing;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mlv store stats}: size of the store and what deduplication saved. */
@Command(
        name = "stats",
        description = "Show packs, chunks, files, logical and stored bytes, and the dedupe ratio.",
        footer = {"", "Examples:", "  mlv store stats", "  mlv store stats --store /tmp/store --json"})
final class StoreStatsCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    private StoreOption store;

    StoreStatsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (StorePlumbing plumbing = StorePlumbing.open(context.directory(), store.dir, false, context.session())) {
            StorePlumbing.Stats s = plumbing.stats();
            if (context.json()) {
                context.printJson(s);
            } else {
                var out = context.out();
                out.printf("store:         %s%n", s.store());
                out.printf("packs:         %d%n", s.packs());
                out.printf("chunks:        %d%n", s.chunks());
                out.printf("files:         %d%n", s.files());
                out.printf("logical bytes: %s (%d)%n", Sizes.human(s.logicalBytes()), s.logicalBytes());
                out.printf("chunk bytes:   %s (%d)%n", Sizes.human(s.chunkBytes()), s.chunkBytes());
                out.printf("stored bytes:  %s (%d)%n", Sizes.human(s.storedBytes()), s.storedBytes());
                out.printf(Locale.ROOT, "dedupe ratio:  %.2fx%n", s.dedupeRatio());
            }
            return ExitCodes.OK;
        }
    }
}
