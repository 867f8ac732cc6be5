package dev.mlv.cli;

import dev.mlv.core.data.DataStatus;
import dev.mlv.core.MlvRepository;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv data status}. */
@Command(
        name = "status",
        description = {
            "Show the data commit this branch pins, whether the data work tree matches it or has uncommitted"
                    + " changes, and how far the pin is behind the data repository's branch (as last fetched).",
        },
        footer = {"", "Examples:", "  mlv data status", "  mlv data status --fetch --json"})
final class DataStatusCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--fetch", description = "Fetch the data repository first.")
    private boolean fetch;

    DataStatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            DataStatus.Result r = new DataStatus(repo).setFetch(fetch).call();
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            PrintWriter out = context.out();
            out.println("Data " + r.path() + "/ from " + r.url() + (r.branch() == null ? "" : " (branch " + r.branch() + ")"));
            out.println("  pinned:      " + shortId(r.pinned()) + (r.pinned() != null && !r.pinned().equals(r.committed())
                    ? " (staged; HEAD has " + shortId(r.committed()) + ")" : ""));
            out.println("  checked out: " + (r.checkedOut() == null ? "no (run 'mlv data pull')"
                    : shortId(r.checkedOut()) + (r.matches() ? " (matches)"
                    : " (differs from the pin; 'mlv data pull' checks the pin out)")));
            out.println("  work tree:   " + (r.dirty() ? "uncommitted changes: " + String.join(", ", r.dirtyPaths()) : "clean"));
            out.println("  upstream:    " + (r.upstream() == null ? "unknown"
                    : shortId(r.upstream()) + (r.behind() == null ? "" : r.behind() == 0 ? " (up to date)"
                    : " (" + r.behind() + " commit(s) behind; 'mlv data pull --latest' moves to it)")));
            return ExitCodes.OK;
        }
    }

    private static String shortId(String id) {
        return id == null ? "-" : id.substring(0, 12);
    }
}
