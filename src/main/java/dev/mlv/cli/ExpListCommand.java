package dev.mlv.cli;

import dev.mlv.core.experiment.ExperimentList;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlv exp list}: the experiment table. */
@Command(
        name = "list",
        aliases = "ls",
        description = {
            "One row per branch: name, tip commit, age, author, metrics and parameters (params/*.json, shown as"
                    + " params.KEY), read from the branch tips without checking anything out.",
            "Marks: '*' the current branch, '[env]' an environment branch (prod, dev, or .mlv/config.json's"
                    + " environments), '!' metrics or parameters that cannot be read (the reason goes to stderr and --json)."
                    + " On a terminal the best value of each metric is bold.",
            "Default order: the current branch first, then by name.",
            "Naming a value in --where and --sort: params.KEY is the parameter KEY; a bare KEY is the metric KEY"
                    + " when a listed branch has it, else the parameter KEY.",
        },
        footer = {
            "",
            "Examples:",
            "  mlv exp list",
            "  mlv exp list --sort accuracy --filter 'exp/*'",
            "  mlv exp list --where 'lr<0.01' --where 'accuracy>=0.9' --sort params.lr",
            "  mlv exp list --params lr,batch_size",
            "  mlv exp list --columns accuracy,loss --md >> report.md",
            "  mlv exp list --json | jq '.branches[] | {name, accuracy: .metrics.accuracy}'",
        })
final class ExpListCommand implements Callable<Integer> {
    /** Most metric columns the text table shows when --columns is not given. */
    static final int MAX_TEXT_COLUMNS = 8;
    /** Most parameter columns the text table shows when --params is not given. */
    static final int MAX_TEXT_PARAM_COLUMNS = 6;

    private final CliContext context;

    @Option(names = "--sort", paramLabel = "KEY",
            description = "Sort by a metric, better first by its direction; by a parameter, smaller first; rows without"
                    + " it last. Or 'name', 'age' (newest first).")
    private String sort;

    @Option(names = "--filter", paramLabel = "GLOB",
            description = "Only branches whose name matches ('*' any characters, '?' one). Repeatable: any may match.")
    private List<String> filters = new ArrayList<>();

    @Option(names = "--columns", paramLabel = "KEYS", split = ",",
            description = "Metric keys to show, comma-separated (default: every key, at most "
                    + MAX_TEXT_COLUMNS + " in the text table).")
    private List<String> columns = new ArrayList<>();

    @Option(names = "--params", paramLabel = "KEYS", split = ",",
            description = "Parameter keys to show (without 'params.'), comma-separated (default: every key, at most "
                    + MAX_TEXT_PARAM_COLUMNS + " in the text table).")
    private List<String> params = new ArrayList<>();

    @Option(names = "--where", paramLabel = "EXPR",
            description = "Only branches where KEY OP NUMBER holds (OP: >= > <= < == !=), as promote --require:"
                    + " 'lr<0.01', 'params.lr<0.01', '\"batch size\"<=64'. Repeatable: all must hold.")
    private List<String> where = new ArrayList<>();

    @Option(names = "--data", description = "Add a DATA column: the data commit each tip recorded (Mlv-Data).")
    private boolean data;

    @Option(names = "--csv", description = "Print CSV (every metric column).")
    private boolean csv;

    @Option(names = "--md", description = "Print a Markdown table.")
    private boolean markdown;

    ExpListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if ((csv ? 1 : 0) + (markdown ? 1 : 0) + (context.json() ? 1 : 0) > 1) {
            throw MlvException.usage("choose one output format: --json, --csv or --md");
        }
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            ExperimentList.Result r = new ExperimentList(repo)
                    .setSort(sort)
                    .setFilters(filters)
                    .setColumns(columns.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .setParamColumns(params.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .setWhere(where)
                    .call();
            if (context.json()) {
                context.printJson(json(r));
                return ExitCodes.OK;
            }
            for (String problem : r.unreadable()) {
                context.warn("branch " + problem);
            }
            ExpListOutput output = new ExpListOutput(r, context.out());
            if (csv) {
                output.csv();
            } else if (markdown) {
                output.markdown();
            } else {
                int shown = columns.isEmpty() ? Math.min(MAX_TEXT_COLUMNS, r.columns().size()) : r.columns().size();
                if (shown < r.columns().size()) {
                    context.note("showing " + shown + " of " + r.columns().size()
                            + " metrics; choose with --columns KEY,KEY (--json and --csv have all)");
                }
                int shownParams = params.isEmpty() ? Math.min(MAX_TEXT_PARAM_COLUMNS, r.paramColumns().size())
                        : r.paramColumns().size();
                if (shownParams < r.paramColumns().size()) {
                    context.note("showing " + shownParams + " of " + r.paramColumns().size()
                            + " parameters; choose with --params KEY,KEY (--json and --csv have all)");
                }
                if (r.rows().isEmpty()) {
                    context.note(filters.isEmpty() && where.isEmpty() ? "no branches yet"
                            : "no branch matches " + String.join(", ", filters.isEmpty() ? where : filters)
                            + (filters.isEmpty() || where.isEmpty() ? "" : " and " + String.join(", ", where)));
                    return ExitCodes.OK;
                }
                output.text(shown, shownParams, context.environment().terminal(), data);
            }
            return ExitCodes.OK;
        }
    }

    static Map<String, Object> json(ExperimentList.Result r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("current", r.currentBranch());
        doc.put("environments", r.environments());
        doc.put("sort", r.sort());
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ExperimentList.Column c : r.columns()) {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("key", c.key());
            col.put("direction", c.direction());
            col.put("directionRule", c.directionRule());
            col.put("best", c.best() == null ? null : c.best().value());
            columns.add(col);
        }
        doc.put("columns", columns);
        doc.put("paramColumns", r.paramColumns());
        doc.put("where", r.where());
        List<Map<String, Object>> branches = new ArrayList<>();
        for (ExperimentList.Row row : r.rows()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", row.branch());
            b.put("current", row.current());
            b.put("environment", row.environment());
            b.put("commit", row.commit());
            b.put("date", row.date());
            b.put("ageSeconds", row.ageSeconds());
            b.put("author", row.author());
            b.put("authorEmail", row.authorEmail());
            b.put("subject", row.subject());
            Map<String, Object> metrics = new LinkedHashMap<>();
            row.metrics().forEach((k, v) -> metrics.put(k, v.value()));
            b.put("metrics", metrics);
            b.put("best", row.best().stream().sorted().toList());
            b.put("error", row.error());
            b.put("data", row.data());
            Map<String, Object> params = new LinkedHashMap<>();
            row.params().forEach((k, v) -> params.put(k, v.value()));
            b.put("params", params);
            b.put("paramsError", row.paramsError());
            branches.add(b);
        }
        doc.put("branches", branches);
        return doc;
    }
}
