package dev.mlv.cli;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.promotion.Promote;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv promote SRC DST}. */
@Command(
        name = "promote",
        description = {
            "Ship SRC's model into DST: metric gates first, then a merge in memory where models/, metrics/ and"
                    + " logs/ take SRC's side, monitoring/ keeps DST's, and code merges normally. DST fast-forwards"
                    + " when that keeps its monitoring; a promote/DST/N tag records source, commits, metrics and gate"
                    + " results.",
            "A failed gate exits 3 and a code conflict exits 4; both change nothing. Gates also come from"
                    + " .mlv/config.json (gates.<DST>.require / gates.<DST>.noRegress on DST's branch).",
            "With --push, the promotion goes into the Git remote's DST (for CI jobs that race): fetch, gates against"
                    + " the remote's DST, merge, the next free tag number, content, then branch and tag in one atomic"
                    + " push; when another promotion lands first, it starts again from the fetch.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv promote dev prod --require 'accuracy>=0.9' --no-regress accuracy",
            "  mlv promote exp/feature-x dev --no-regress loss:2%%",
            "  mlv promote dev ab-test-b --create",
            "  mlv promote dev prod --dry-run",
            "  mlv promote exp/feature-x prod --no-regress accuracy --push",
        })
final class PromoteCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "SRC", description = "Branch or commit to promote.")
    private String src;

    @Parameters(index = "1", paramLabel = "DST", description = "Branch to promote into.")
    private String dst;

    @Option(names = "--require", paramLabel = "EXPR", description = "Gate on SRC's metrics: METRIC OP NUMBER (>= > <= < == !=).")
    private List<String> require = new ArrayList<>();

    @Option(names = "--no-regress", paramLabel = "METRIC[:TOL]",
            description = "Gate: SRC must not be worse than DST (by the metric's direction), within TOL (0.01 or 1%%).")
    private List<String> noRegress = new ArrayList<>();

    @Option(names = "--create", description = "Create DST at SRC when it does not exist.")
    private boolean create;

    @Option(names = "--dry-run", description = "Show gates, changed files and resulting models; write nothing.")
    private boolean dryRun;

    @Option(names = {"-m", "--message"}, paramLabel = "MSG", description = "Message of the merge commit.")
    private String message;

    @Option(names = "--push", arity = "0..1", fallbackValue = "", paramLabel = "REMOTE",
            description = "Promote into the Git remote's DST and push (default: DST's upstream remote, else origin);"
                    + " retries from a fresh fetch when another promotion lands first.")
    private String push;

    PromoteCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            Promote.Result r = new Promote(repo).setRequire(require).setNoRegress(noRegress).setCreate(create)
                    .setDryRun(dryRun).setMessage(message).setPush(push).call(src, dst);
            if (r.push() != null) {
                warnings(r.push()); // on stderr, with --json too
            }
            if (context.json()) {
                context.printJson(r);
            } else {
                render(r);
            }
            return r.gatesPassed() ? ExitCodes.OK : ExitCodes.GATE_FAILED;
        }
    }

    private void render(Promote.Result r) {
        var out = context.out();
        String where = r.push() == null ? dst : r.push().remote() + "/" + dst;
        GateTable.print(out, r.gates(), src, where);
        switch (r.outcome()) {
            case "gate-failed" -> {
                GateTable.printPolicies(out, r.policies(), src, dst);
                context.err().println("mlv: gates failed against " + where + " (" + abbrev(r.previousCommit()) + "); "
                        + dst + " was not changed");
            }
            case "up-to-date" -> out.println(where + " already contains " + src + "; nothing to promote");
            case "dry-run" -> {
                GateTable.printPolicies(out, r.policies(), src, dst);
                out.println("Dry run: promoting " + src + " into " + where + " would change " + r.changes().size() + " files:");
                r.changes().forEach(c -> out.printf("  %-8s %s%n", c.type(), c.path()));
                out.println("Models after promotion:");
                r.models().forEach(m -> out.printf("  %s (%s, sha256:%s)%n", m.path(), Sizes.human(m.size()), m.oid().substring(0, 12)));
            }
            default -> {
                out.println("Promoted " + src + " into " + where + " (" + r.outcome() + "): " + dst + " is now "
                        + r.commit().substring(0, 12) + ", tagged " + r.tag());
                r.changes().forEach(c -> out.printf("  %-8s %s%n", c.type(), c.path()));
                GateTable.printKept(out, r.policies(), dst);
                if (r.push() != null) {
                    renderPush(r.push());
                }
                if (r.workTreeUpdated()) {
                    out.println("Work tree updated.");
                }
            }
        }
    }

    private void warnings(Promote.Pushed p) {
        p.replacedLocalTags().forEach(t -> context.warn("local tag " + t));
        if (p.localBranch().equals("diverged")) {
            context.warn("the local " + dst + " has commits " + p.remote() + "/" + dst + " lacks and was left where it is;"
                    + " compare them with 'mlv log " + dst + "' and 'mlv log " + p.remote() + "/" + dst + "'");
        }
    }

    private void renderPush(Promote.Pushed p) {
        context.note(TransferText.describe("sent", p.content()) + "; attempts: " + p.attempts());
        if (p.localBranch().equals("created") || p.localBranch().equals("moved")) {
            context.note("local " + dst + (p.localBranch().equals("created") ? " created at " : " moved to ") + p.remote() + "/" + dst);
        }
    }

    private static String abbrev(String id) {
        return id == null ? "none yet" : id.substring(0, 12);
    }
}
