package dev.mlv.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.workspace.Init;
import dev.mlv.core.workspace.Track;
import dev.mlv.core.workspace.TrainCommit;
import dev.mlv.testing.GitSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ExperimentCurves}: a commit's training curves, read from its tree. */
class ExperimentCurvesTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private Session session() {
        return new Session(Clock.fixed(T0, ZoneOffset.UTC), Map.of("GIT_AUTHOR_NAME", "A", "GIT_AUTHOR_EMAIL", "a@x",
                "GIT_COMMITTER_NAME", "A", "GIT_COMMITTER_EMAIL", "a@x", "HOME", dir.resolve(".home").toString()));
    }

    @BeforeEach
    void repository() throws Exception {
        GitSandbox.install();
        new Init(session()).setDirectory(dir).call();
    }

    private static String rows(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"step\": ").append(i * 10).append(", \"loss\": ").append(1.0 / (i + 1)).append("}\n");
        }
        return b.toString();
    }

    @Test
    void readsTheCommittedCurvesWithPointsNotTheWorkTree() throws Exception {
        Files.writeString(dir.resolve("metrics/train.jsonl"), rows(50));
        Files.createDirectories(dir.resolve("metrics/eval"));
        Files.writeString(dir.resolve("metrics/eval/val.jsonl"), "{\"step\": 5, \"acc\": 0.5}\n{\"step\": 9, \"acc\": 0.4}\n");
        try (MlvRepository repo = MlvRepository.open(dir, session())) {
            new TrainCommit(repo).setMessage("curves").call();
        }
        Files.writeString(dir.resolve("metrics/train.jsonl"), "{\"step\": 0, \"loss\": 99}\n");

        try (MlvRepository repo = MlvRepository.open(dir, session())) {
            ExperimentCurves.Result r = new ExperimentCurves(repo).setMaxPoints(20).call();

            assertThat(r.warnings()).isEmpty();
            assertThat(r.curves()).extracting(CurveFile::path).containsExactly("metrics/eval/val.jsonl", "metrics/train.jsonl");
            CurveFile.Column acc = r.curves().get(0).columns().get(0);
            assertThat(acc.key()).isEqualTo("eval.val.acc");
            assertThat(acc.direction()).isEqualTo("max");
            assertThat(acc.best().step()).isEqualTo(5);
            assertThat(acc.best().value().shown()).isEqualTo("0.5");
            CurveFile.Column loss = r.curves().get(1).columns().get(0);
            assertThat(loss.count()).as("the committed file, not the work tree's").isEqualTo(50);
            assertThat(loss.last().step()).isEqualTo(490);
            assertThat(loss.best().step()).isEqualTo(490);
            assertThat(loss.thinned()).isTrue();
            assertThat(loss.steps()).hasSizeLessThanOrEqualTo(20).startsWith(0).endsWith(490);
            assertThat(loss.values()).hasSameSizeAs(loss.steps());
        }
    }

    @Test
    void aCurveTrackedAsALargeFileIsReadFromTheStore() throws Exception {
        try (MlvRepository repo = MlvRepository.open(dir, session())) {
            new Track(repo).add(List.of("metrics/*.jsonl"));
        }
        Files.writeString(dir.resolve("metrics/train.jsonl"), rows(3));
        try (MlvRepository repo = MlvRepository.open(dir, session())) {
            new TrainCommit(repo).setMessage("large curve").call();
            ExperimentShow.Result shown = new ExperimentShow(repo).call();

            assertThat(shown.largeFiles()).extracting(ExperimentShow.LargeFile::path).containsExactly("metrics/train.jsonl");
            assertThat(shown.curveWarnings()).isEmpty();
            CurveFile.Column loss = shown.curves().get(0).columns().get(0);
            assertThat(loss.count()).isEqualTo(3);
            assertThat(loss.last().value().shown()).isEqualTo("0.333333");
            assertThat(loss.steps()).as("exp show asks for summaries only").isEmpty();
        }
    }
}
