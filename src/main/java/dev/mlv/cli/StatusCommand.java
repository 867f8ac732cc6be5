package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.workspace.Status;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mlv status}. */
@Command(
        name = "status",
        description = {
            "Show the branch, changed large files (with sizes), other changed files, metrics that differ from"
                    + " HEAD, and the data submodule's state.",
        },
        footer = {"", "Examples:", "  mlv status", "  mlv status --json | jq '.largeFiles'"})
final class StatusCommand implements Callable<Integer> {
    private final CliContext context;

    StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Status.Result r = new Status(repo).call();
            r.warnings().forEach(context::warn);
            if (context.json()) {
                context.printJson(r);
                return ExitCodes.OK;
            }
            PrintWriter out = context.out();
            out.println("On branch " + r.branch() + (r.head() == null ? " (no commits yet)" : " at " + r.head().substring(0, 12)));
            if (r.clean()) {
                out.println("nothing to commit, work tree clean");
            }
            if (!r.largeFiles().isEmpty()) {
                out.println("Large files:");
                r.largeFiles().forEach(e -> out.printf("  %-9s %s (%s)%n", e.state(), e.path(), Sizes.human(e.size())));
            }
            if (!r.otherFiles().isEmpty()) {
                out.println("Other files:");
                r.otherFiles().forEach(e -> out.printf("  %-9s %s%n", e.state(), e.path()));
            }
            if (!r.metrics().isEmpty()) {
                out.println("Metrics changed against HEAD:");
                r.metrics().forEach(m -> out.printf("  %s: %s -> %s (%s)%n", m.key(),
                        m.old() == null ? "-" : m.old().shown(), m.now() == null ? "-" : m.now().shown(),
                        m.change()));
            }
            if (r.metricsError() != null) {
                out.println("Metrics: cannot read: " + r.metricsError());
            }
            if (r.data() != null) {
                out.println(dataLine(r.data()));
            }
            return ExitCodes.OK;
        }
    }

    private static String dataLine(Status.Data d) {
        if (d.stray()) {
            return "Data (" + d.path() + "/): a data work tree at " + d.checkedOut().substring(0, 12) + " that this branch"
                    + " does not pin; switch to a branch with data, or remove it ('rm -rf " + d.path() + "'; the data"
                    + " repository stays in .git/modules)";
        }
        if (d.pinned() == null) {
            return "Data (" + d.path() + "): removed from the index (HEAD pins " + d.committed().substring(0, 12) + ")";
        }
        return String.format("Data (%s): pinned %s%s, %s%s%s", d.path(), d.pinned().substring(0, 12),
                d.staged() ? " (staged; HEAD " + (d.committed() == null ? "pins none" : "has " + d.committed().substring(0, 12))
                        + ", commit it with train-commit)" : "",
                d.checkedOut() == null ? "not checked out (run 'mlv data pull')"
                        : d.matches() ? "checked out at the pinned commit"
                        : "checked out at " + d.checkedOut().substring(0, 12) + " (differs; commit it with train-commit,"
                        + " or check the pin out with 'mlv data pull')",
                d.dirty() ? "; uncommitted changes in " + d.path() + "/" : "",
                d.behind() != null && d.behind() > 0 ? "; " + d.behind() + " commit(s) behind its branch (mlv data pull --latest)" : "");
    }
}
