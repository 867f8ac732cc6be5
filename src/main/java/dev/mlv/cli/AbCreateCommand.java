package dev.mlv.cli;

import dev.mlv.core.ab.AbCreate;
import dev.mlv.core.ab.AbTest;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlv ab create NAME --arm A=BRANCH --arm B=BRANCH [--weights 90,10] [--metric COLUMN]}. */
@Command(
        name = "create",
        description = {
            "Record an A/B test: each arm is a branch, pinned to its current commit; the first arm is the control.",
        },
        footer = {"", "Examples:",
            "  mlv ab create checkout-2026-04 --arm A=prod --arm B=ab-test-b --weights 90,10 --metric converted",
            "  mlv ab create latency --arm A=prod --arm B=exp/quantized --metric latency_ms"})
final class AbCreateCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The test's name (letters, digits, '.', '_', '-').")
    private String name;

    @Option(names = "--arm", required = true, paramLabel = "ARM=BRANCH", description = "An arm and its branch; give two or more.")
    private List<String> arms = new ArrayList<>();

    @Option(names = "--weights", split = ",", paramLabel = "W", description = "Traffic weights in arm order, comma-separated (default: equal).")
    private List<Double> weights = new ArrayList<>();

    @Option(names = "--metric", paramLabel = "COLUMN", description = "The monitoring CSV column the report compares.")
    private String metric;

    @Option(names = "--file", paramLabel = "PATH", defaultValue = AbCreate.DEFAULT_MONITORING_FILE,
            description = "The monitoring CSV on each arm's branch (default: ${DEFAULT-VALUE}).")
    private String file;

    AbCreateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        try (MlvRepository repo = MlvRepository.open(context.directory(), context.session())) {
            AbCreate create = new AbCreate(repo).setWeights(weights).setMetric(metric).setMonitoringFile(file);
            for (String arm : arms) {
                int eq = arm.indexOf('=');
                if (eq <= 0 || eq == arm.length() - 1) {
                    throw MlvException.usage("'" + arm + "' is not ARM=BRANCH, for example --arm A=prod");
                }
                create.addArm(arm.substring(0, eq), arm.substring(eq + 1));
            }
            AbTest test = create.call(name);
            if (context.json()) {
                context.printJson(test);
            } else {
                context.out().println("Created A/B test " + name + " (refs/mlv/ab/" + name + ")" + (test.metric() == null ? ""
                        : ", metric " + test.metric() + " from " + test.monitoringFile()) + ":");
                for (AbTest.Arm a : test.arms()) {
                    context.out().printf("  %-6s %5.1f%%  %s @ %s%n", a.name(), a.weight() * 100, a.branch(), a.commit().substring(0, 12));
                }
            }
            return ExitCodes.OK;
        }
    }
}
