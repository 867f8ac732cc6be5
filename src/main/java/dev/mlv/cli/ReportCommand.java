package dev.mlv.cli;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.experiment.MetricsCompare;
import dev.mlv.report.Report;
import dev.mlv.report.ReportData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv report [A] [B] [-o FILE]}. */
@Command(
        name = "report",
        description = {
            "Write a comparison of two commits for a pull request: metrics with changes and directions (as"
                    + " 'metrics diff'), gates with their results, changed parameters, and training curves"
                    + " (metrics/*.jsonl) of both overlaid as charts.",
            "A defaults to HEAD~ (on a pull request's merge commit: the base branch), B to HEAD. -o FILE.html"
                    + " writes one self-contained HTML file; -o FILE.md writes Markdown with PNG charts in FILE_charts/"
                    + " beside it. Exit 0 once written, whatever the gates say ('mlv check' fails a build).",
        },
        footer = {
            "",
            "Examples:",
            "  mlv report -o report.html                  # HEAD~ against HEAD",
            "  mlv report origin/main HEAD -o report.md --for main",
            "  mlv report prod exp/lr-3e-4 --no-regress accuracy:0.5%% -o - > report.html",
        })
final class ReportCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "REF", arity = "0..2", description = "A (old, default HEAD~) and B (new, default HEAD).")
    private List<String> refs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write (default -, stdout, as HTML)."
            + " A regular or new file is replaced atomically; a device, FIFO or symlink is written through.")
    private Path output = Path.of("-");

    @Option(names = "--format", paramLabel = "html|md", description = "html or md (default: from FILE's extension).")
    private String format;

    @Option(names = "--for", paramLabel = "BRANCH", description = "Show BRANCH's configured promotion gates (default: A).")
    private String forBranch;

    @Option(names = "--require", paramLabel = "EXPR", description = "Also show this gate on B, e.g. 'accuracy>=0.9'.")
    private List<String> require = new ArrayList<>();

    @Option(names = "--no-regress", paramLabel = "METRIC[:TOL]", description = "Also show this gate: B no worse than A.")
    private List<String> noRegress = new ArrayList<>();

    ReportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (refs.size() > 2) {
            throw MlvException.usage("report compares two commits; give at most two refs (A and B)");
        }
        boolean stdout = ContentOutput.isStdout(output);
        boolean markdown = markdown(stdout);
        if (stdout && markdown) {
            throw MlvException.usage("a Markdown report writes its charts beside it; name a file with -o FILE.md");
        }
        if (stdout && context.json()) {
            throw MlvException.usage("--json needs -o FILE: without it the report itself is what report prints");
        }
        String oldRef = refs.isEmpty() ? "HEAD~" : refs.get(0);
        String newRef = refs.size() < 2 ? "HEAD" : refs.get(1);
        ReportData data;
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            data = ReportData.collect(repo, new ReportData.Request(oldRef, newRef, forBranch == null ? oldRef : forBranch,
                    require, noRegress));
        }
        data.curveWarnings().forEach(context::warn);
        List<String> written = new ArrayList<>();
        if (stdout) {
            context.out().print(Report.html(data));
            context.out().flush();
            return ExitCodes.OK;
        }
        Path target = context.directory().resolve(output);
        if (markdown) {
            String folder = chartsFolder(output);
            Report.Markdown md = Report.markdown(data, folder);
            Path charts = target.toAbsolutePath().getParent().resolve(folder);
            // the images first, then the Markdown that refers to them
            for (Report.Image image : md.images()) {
                Path file = charts.resolve(image.name());
                ContentOutput.write(file, out -> out.write(image.png()));
                written.add(output.resolveSibling(folder).resolve(image.name()).toString());
            }
            ContentOutput.write(target, out -> out.write(md.text().getBytes(StandardCharsets.UTF_8)));
        } else {
            String html = Report.html(data);
            ContentOutput.write(target, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
        }
        if (context.json()) {
            context.printJson(json(data, markdown, written));
        } else {
            context.note("wrote " + output + (written.isEmpty() ? "" : " and " + written.size() + " charts in "
                    + output.resolveSibling(chartsFolder(output))) + " (metrics: " + counts(data) + "; "
                    + (data.gates() == null ? "no gates" : data.gates().passed() ? "gates passed" : "gates FAILED") + ")");
        }
        return ExitCodes.OK;
    }

    private boolean markdown(boolean stdout) throws MlvException {
        if (format != null) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "html" -> false;
                case "md", "markdown" -> true;
                default -> throw MlvException.usage("--format is html or md, not '" + format + "'");
            };
        }
        if (stdout) {
            return false;
        }
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return false;
        }
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return true;
        }
        throw MlvException.usage("cannot tell the format of '" + output + "' from its name; end it in .html or .md,"
                + " or give --format html|md");
    }

    /** {@code report.md} → {@code report_charts}: the folder beside the file, named after it in plain characters. */
    static String chartsFolder(Path output) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.", "_") + "_charts";
    }

    private static String counts(ReportData d) {
        StringBuilder b = new StringBuilder();
        d.metrics().counts().forEach((status, n) -> {
            if (n > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(status.toLowerCase(Locale.ROOT));
            }
        });
        return b.length() == 0 ? "none" : b.toString();
    }

    private Map<String, Object> json(ReportData d, boolean markdown, List<String> images) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("output", output.toString());
        doc.put("format", markdown ? "md" : "html");
        doc.put("images", images);
        doc.put("old", side(d.metrics().oldSide()));
        doc.put("new", side(d.metrics().newSide()));
        doc.put("counts", d.metrics().counts());
        doc.put("gatesFor", d.gatesFor());
        doc.put("gates", d.gates() == null ? List.of() : d.gates().gates());
        doc.put("gatesPassed", d.gates() == null ? null : d.gates().passed());
        doc.put("curveWarnings", d.curveWarnings());
        return doc;
    }

    private static Map<String, Object> side(MetricsCompare.Side side) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ref", side.ref());
        m.put("commit", side.commit());
        return m;
    }
}
