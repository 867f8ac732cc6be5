package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.remote.UrlBranch;
import dev.mlv.mount.Mount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv mount REF DIR} or {@code mlv mount --follow BRANCH DIR}. */
@Command(
        name = "mount",
        description = {
            "Mount REF's tree (or --path's directory of it) read-only at DIR with FUSE, in the foreground until"
                    + " unmounted (fusermount -u DIR) or interrupted (Ctrl-C, SIGTERM), which unmounts.",
            "Large files are read lazily by range: a read touches only the store chunks it covers, fetched from the"
                    + " store remote when the local store lacks them into a bounded chunk cache (--cache-size).",
            "A mount left behind by a killed process is cleaned up by the next 'mlv mount' on DIR.",
            "--follow BRANCH polls the branch (REMOTE/BRANCH: fetches it): new opens see its new commit, open files keep"
                    + " their version.",
            "Without a clone, REF (or --follow's BRANCH) may be URL#BRANCH, any Git URL and a branch: the branch is"
                    + " fetched at depth 1 into a repository kept under $XDG_CACHE_HOME/mlv/mount (else"
                    + " ~/.cache/mlv/mount; reused by the next mount of the URL, delete it to clear it), and large"
                    + " files are read from the store remote its committed .mlv/config.json names.",
            "Needs /dev/fuse and libfuse 2; in a container: --device /dev/fuse --cap-add SYS_ADMIN (docs/mount.md).",
        },
        footer = {
            "",
            "Examples:",
            "  mlv mount prod /mnt/model --path models/",
            "  mlv mount --follow prod /mnt/model --path models/ --interval 5s",
            "  mlv mount --follow origin/prod /mnt/model --path models/ --interval 1m",
            "  mlv mount a1b2c3d /mnt/old --json     # prints {directory, commit, ref} once mounted",
            "  mlv mount https://git.example.com/team/models.git#prod /mnt/model --path models/",
            "  mlv mount --follow git@git.example.com:team/models.git#prod /mnt/model --interval 1m",
        })
final class MountCommand implements Callable<Integer> {
    /** Shorter would keep a core busy re-reading the ref. */
    private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(100);

    private final CliContext context;

    @Parameters(arity = "1..2", paramLabel = "[REF] DIR", description = "The branch, tag or commit (or URL#BRANCH) to mount"
            + " (not with --follow), and where.")
    private List<String> args;

    @Option(names = "--follow", paramLabel = "BRANCH", description = "Mount BRANCH and follow it as it moves: a local"
            + " branch, else REMOTE/BRANCH of a Git remote, or URL#BRANCH (both fetched at each --interval).")
    private String follow;

    @Option(names = "--path", paramLabel = "DIR", defaultValue = "", description = "Mount only this directory of the tree (e.g. models/).")
    private String path;

    @Option(names = "--interval", paramLabel = "INTERVAL", converter = DurationConverter.class,
            description = "With --follow: how often to check the branch (default: 2s for a local branch, 30s for a"
                    + " remote's or a URL's, which is fetched each time; at least 100ms).")
    private Duration interval;

    @Option(names = "--cache-size", paramLabel = "SIZE", converter = ByteSizeConverter.class, defaultValue = "4G",
            description = "Bound of the on-disk cache of chunks read from the store remote, least recently used out"
                    + " first (default: ${DEFAULT-VALUE}; at least 256M).")
    private long cacheSize;

    @Option(names = "--allow-other", description = "Let other users (another container's user) read the mount;"
            + " a non-root user needs 'user_allow_other' in /etc/fuse.conf.")
    private boolean allowOther;

    /**
     * The {@code --json} document, printed once mounted; {@code repository} is where a URL's branch
     * was fetched to (null for a local repository).
     */
    record Mounted(String directory, String commit, String ref, String follow, String path, String repository) {
    }

    MountCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (follow != null && args.size() != 1) {
            throw MlvException.usage("give DIR alone with --follow BRANCH (the branch is the ref), e.g. 'mlv mount --follow prod /mnt/model'");
        }
        if (follow == null && args.size() != 2) {
            throw MlvException.usage("give REF and DIR, e.g. 'mlv mount prod /mnt/model', or --follow BRANCH DIR");
        }
        if (interval != null && interval.compareTo(SHORTEST_INTERVAL) < 0) {
            throw MlvException.usage("--interval " + interval.toMillis() + "ms is too short; use at least 100ms");
        }
        String ref = follow == null ? args.get(0) : null;
        Path dir = context.directory().resolve(args.get(args.size() - 1));
        Mount.Options options = new Mount.Options(ref, follow, path, interval, allowOther, cacheSize);
        String named = ref != null ? ref : follow;
        if (UrlBranch.Source.isUrl(named, context.directory())) {
            UrlBranch.Source source = UrlBranch.Source.parse(named, context.directory());
            try (Mount mount = Mount.start(context.session(), source, dir, options, this::note)) {
                return serve(mount, source.display());
            }
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session());
             Mount mount = Mount.start(repo, dir, options, this::note)) {
            return serve(mount, named);
        }
    }

    /** Says where it mounted, then waits until the file system is unmounted or the process is stopped. */
    private int serve(Mount mount, String shown) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread worker = Thread.currentThread();
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mlv-mount-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            context.note("mlv: mounted " + shown + " (" + mount.commit().substring(0, 12) + ")" + (path.isEmpty() ? "" : ":" + path)
                    + " at " + mount.directory() + " (stop with Ctrl-C or 'fusermount -u " + mount.directory() + "')");
            if (context.json()) {
                context.printJson(new Mounted(mount.directory().toString(), mount.commit(), follow == null ? shown : null,
                        follow == null ? null : shown, path, mount.repository()));
            }
            context.out().flush();
            context.err().flush();
            mount.awaitUnmount();
            context.note("mlv: " + mount.directory() + " was unmounted");
        } catch (InterruptedException e) {
            context.note("mlv: unmounting " + mount.directory());
        } finally {
            mount.close();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        return ExitCodes.OK;
    }

    private void note(String line) {
        context.note(line);
        context.err().flush();
    }
}
