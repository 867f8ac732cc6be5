package dev.mlv.core.experiment;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.workspace.Init;
import dev.mlv.core.workspace.TrainCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.testing.GitSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations behind {@code exp list} and {@code metrics diff}, without the CLI. */
class ExperimentListTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private Session at(Instant now) {
        return new Session(Clock.fixed(now, ZoneOffset.UTC), Map.of("GIT_AUTHOR_NAME", "A", "GIT_AUTHOR_EMAIL", "a@x",
                "GIT_COMMITTER_NAME", "A", "GIT_COMMITTER_EMAIL", "a@x", "HOME", dir.resolve(".home").toString()));
    }

    private void commit(String branch, String metrics) throws Exception {
        Files.writeString(dir.resolve("metrics/metrics.json"), metrics);
        try (MlvRepository repo = MlvRepository.open(dir, at(T0))) {
            new TrainCommit(repo).setBranch(branch).setMessage(branch).call();
        }
    }

    @BeforeEach
    void repository() throws Exception {
        GitSandbox.install();
        new Init(at(T0)).setDirectory(dir).call();
        commit("main", "{\"accuracy\": 0.9, \"loss\": 0.3}");
        // Same metrics as main on a second branch: one cache entry serves both.
        try (MlvRepository repo = MlvRepository.open(dir, at(T0))) {
            new ExperimentNew(repo).setName("same").call();
        }
        try (MlvRepository repo = MlvRepository.open(dir, at(T0))) {
            new ExperimentNew(repo).setName("exp").call();
        }
        commit("exp", "{\"accuracy\": 0.8, \"loss\": 0.1, \"latency_ms\": 12}");
    }

    private ExperimentList.Result list(String sort, List<String> filters) throws MlvException {
        try (MlvRepository repo = MlvRepository.open(dir, at(T0.plusSeconds(3 * 3600)))) {
            return new ExperimentList(repo).setSort(sort).setFilters(filters).call();
        }
    }

    @Test
    void rowsCarryTipCommitAgeAndMetrics() throws Exception {
        ExperimentList.Result r = list(null, List.of());
        assertThat(r.rows()).extracting(ExperimentList.Row::branch).containsExactly("exp", "main", "same");
        ExperimentList.Row main = r.rows().get(1);
        assertThat(main.ageSeconds()).isEqualTo(3 * 3600);
        assertThat(main.metrics().get("accuracy").shown()).isEqualTo("0.9");
        assertThat(main.commit()).isEqualTo(r.rows().get(2).commit());
        assertThat(r.columns()).extracting(ExperimentList.Column::key).containsExactly("accuracy", "latency_ms", "loss");
        assertThat(r.columns().get(1).direction()).isEqualTo("min");
    }

    @Test
    void sortsBetterFirstWithMissingValuesLast() throws Exception {
        assertThat(list("latency_ms", List.of()).rows()).extracting(ExperimentList.Row::branch)
                .containsExactly("exp", "main", "same");
        assertThat(list("accuracy", List.of()).rows()).extracting(ExperimentList.Row::branch)
                .containsExactly("main", "same", "exp");
        assertThat(list("age", List.of("ma*", "s?me")).rows()).extracting(ExperimentList.Row::branch)
                .containsExactly("main", "same");
    }

    @Test
    void unknownSortKeyIsAUsageError() {
        assertThatThrownBy(() -> list("f1", List.of()))
                .isInstanceOfSatisfying(MlvException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.USAGE))
                .hasMessageContaining("known keys: name, age, accuracy, latency_ms, loss");
    }

    @Test
    void compareReportsStatusesByDirection() throws Exception {
        try (MlvRepository repo = MlvRepository.open(dir, at(T0))) {
            MetricsCompare.Result r = new MetricsCompare(repo).setOld("main").setNew("exp").call();
            assertThat(r.rows()).extracting(MetricsCompare.Change::status).containsExactly("WORSE", "ADDED", "BETTER");
            assertThat(r.rows().get(0).relativeShown()).isEqualTo("-11.1%");
        }
    }

    /**
     * The branch-name glob dialect of {@code --filter}, pinned: {@code *} any characters including
     * '/', {@code ?} any one character; no segments, so {@code **} is {@code *}; the rest literal
     * (brackets and dots too); whole name, case-sensitive; any of several filters may match.
     */
    @Test
    void filterGlobsMatchWholeBranchNamesAcrossSlashes() throws Exception {
        try (MlvRepository repo = MlvRepository.open(dir, at(T0)); Git git = new Git(repo.git())) {
            for (String name : List.of("exps/a/b", "expx", "team/exp/c")) {
                git.branchCreate().setName(name).call();
            }
        }
        Map<List<String>, List<String>> cases = new LinkedHashMap<>();
        cases.put(List.of("exps/*"), List.of("exps/a/b"));
        cases.put(List.of("exp*"), List.of("exp", "exps/a/b", "expx"));
        cases.put(List.of("exp**"), List.of("exp", "exps/a/b", "expx"));
        cases.put(List.of("*exp*"), List.of("exp", "exps/a/b", "expx", "team/exp/c"));
        cases.put(List.of("exp?"), List.of("expx"));
        cases.put(List.of("exps?a?b"), List.of("exps/a/b"));
        cases.put(List.of("exp"), List.of("exp"));
        cases.put(List.of("EXP"), List.of());
        cases.put(List.of("ex."), List.of());
        cases.put(List.of("[e]xp"), List.of());
        cases.put(List.of("*/c"), List.of("team/exp/c"));
        cases.put(List.of("team/*"), List.of("team/exp/c"));
        cases.put(List.of(""), List.of());
        cases.put(List.of("ma*", "s?me", "nothing"), List.of("main", "same"));
        for (Map.Entry<List<String>, List<String>> c : cases.entrySet()) {
            assertThat(list("name", c.getKey()).rows()).as("filters %s", c.getKey())
                    .extracting(ExperimentList.Row::branch).containsExactlyElementsOf(c.getValue());
        }
    }
}
