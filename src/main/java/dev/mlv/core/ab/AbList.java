package dev.mlv.core.ab;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.ab.internal.AbTests;
import java.util.List;

/** {@code mlv ab list}: every A/B test recorded here ({@code refs/mlv/ab/*}), by name. */
public final class AbList {
    private final MlvRepository repo;

    public AbList(MlvRepository repo) {
        this.repo = repo;
    }

    public record Result(List<AbTest> tests) {
        public Result {
            tests = List.copyOf(tests);
        }
    }

    public Result call() throws MlvException {
        return new Result(AbTests.all(repo.git()).stream().map(AbTests.Stored::test).toList());
    }
}
