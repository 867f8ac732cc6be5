package dev.mlv.cli;

import dev.mlv.core.serving.Export;
import dev.mlv.core.FileChange;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv export REF [PATH...] --to DIR [--watch INTERVAL]}. */
@Command(
        name = "export",
        description = {
            "Write a read-only snapshot of REF's files (default: models/) into DIR for an inference service,"
                    + " streamed from the store and verified, swapped in atomically: DIR is a link to"
                    + " DIR.versions/<commit>, replaced in one rename once the new version is complete.",
            "--watch follows the branch and swaps in each new version when it moves, until interrupted.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv export prod --to /srv/model",
            "  mlv export prod models/model.onnx config/ --to /srv/model",
            "  mlv export prod --to /srv/model --watch 30s",
        })
final class ExportCommand implements Callable<Integer> {
    /** Shorter would keep a core busy re-reading the ref. */
    private static final Duration SHORTEST_WATCH = Duration.ofMillis(10);

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "REF", description = "The branch (or tag, commit) to export.")
    private String ref;

    @Parameters(index = "1..*", paramLabel = "PATH", description = "Files or directories to export (default: models).")
    private List<String> paths = new ArrayList<>();

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "Where consumers read the snapshot.")
    private Path to;

    @Option(names = "--watch", paramLabel = "INTERVAL", converter = DurationConverter.class,
            description = "Check REF every INTERVAL (at least 10ms; e.g. 500ms, 10s, 5m, 1h) and export it when it"
                    + " moved; stop with Ctrl-C.")
    private Duration watch;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "3",
            description = "Versions to keep in DIR.versions/ (default: ${DEFAULT-VALUE}; at least 2).")
    private int keep;

    @Option(names = "--max-rounds", hidden = true, defaultValue = "0", description = "Stop watching after N rounds (tests).")
    private long maxRounds;

    ExportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (watch != null && watch.compareTo(SHORTEST_WATCH) < 0) {
            throw MlvException.usage("--watch " + watch.toMillis() + "ms is too short; use at least 10ms");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Export export = new Export(repo).setPaths(paths).setTarget(context.directory().resolve(to)).setKeep(keep);
            if (watch == null) {
                Export.Result r;
                try (Progress progress = Progress.bytes(context, "export", 0)
                        .onInterrupt(to + " still holds the version it held; the partial one is never linked")) {
                    r = export.setProgress(progress).call(ref);
                }
                render(r);
                return ExitCodes.OK;
            }
            Thread worker = Thread.currentThread();
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> stop(worker, stopped), "mlv-export-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                context.note("Watching " + ref + " every " + watch.toMillis() + " ms; stop with Ctrl-C");
                export.watch(ref, watch, maxRounds, new Export.Watcher() {
                    @Override
                    public void exported(Export.Result result) {
                        render(result);
                    }

                    @Override
                    public void failed(MlvException error) {
                        context.warn(error.getMessage() + "; keeping the current version, retrying in " + watch.toMillis() + " ms");
                    }
                });
            } finally {
                stopped.countDown();
                removeHook(hook);
            }
            return ExitCodes.OK;
        }
    }

    /**
     * On Ctrl-C or SIGTERM: interrupt the watch and give it a moment to finish the version it is
     * writing. The hook waits for the watch to return, not for the thread to end: the thread goes
     * on to {@code System.exit}, which blocks while this hook runs, so joining it would always
     * wait out the whole timeout (and a container runtime kills at 10 s).
     */
    private static void stop(Thread worker, CountDownLatch stopped) {
        worker.interrupt();
        try {
            stopped.await(8, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running
        }
    }

    private void render(Export.Result r) {
        if (context.json()) {
            context.printJson(r);
            return;
        }
        var out = context.out();
        String commit = r.commit().substring(0, 12);
        if (!r.changed()) {
            context.info(to + " already holds " + r.ref() + " (" + commit + "): " + r.files().size() + " files, "
                    + Sizes.human(r.bytes()));
            return;
        }
        out.println("Exported " + r.ref() + " (" + commit + ") to " + to + " -> " + r.version() + ": " + r.files().size()
                + " files, " + Sizes.human(r.bytes()) + " (" + Sizes.human(r.bytesWritten()) + " written)");
        for (FileChange c : r.changes()) {
            out.printf("  %-8s %s (%s)%n", c.type(), c.path(), Sizes.human(c.size()));
        }
        out.flush();
    }
}
