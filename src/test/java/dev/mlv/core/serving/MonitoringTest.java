package dev.mlv.core.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.cli.CliHarness;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Monitoring: rows per record commit, read from the tip's file at the right offsets, and where a series begins and ends. */
class MonitoringTest {
    @TempDir
    Path tmp;

    private CliHarness mlv;
    private Path dir;

    private void repo(boolean large) throws Exception {
        assertThat(new CliHarness(tmp).run("init", "m").exitCode()).isZero();
        dir = tmp.resolve("m");
        mlv = new CliHarness(dir);
        if (large) {
            ok("track", "monitoring/*.csv");
        }
        Files.writeString(dir.resolve("README"), "x");
        ok("train-commit", "-m", "first");
        ok("promote", "main", "prod", "--create");
    }

    private void ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private void record(String mode, String rows) throws Exception {
        Path f = tmp.resolve("rows.csv");
        Files.writeString(f, "id,score\n" + rows);
        ok("record", "prod", f.toString(), mode, "monitoring/live.csv");
    }

    private Monitoring.Result read(int limit) throws Exception {
        try (MlvRepository r = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()))) {
            return new Monitoring(r).setLimit(limit).setLandmarks(Set.of()).call("prod");
        }
    }

    @Test
    void aLargeFileIsReadFromTheOldestShownRowAndAPutBeginsTheSeries() throws Exception {
        repo(true);
        record("--append-to", "a,100\nb,100\n"); // before the put: not part of the series
        record("--put", "c,1\nd,3\n");
        record("--append-to", "e,5\n");
        record("--append-to", "f,7\ng,9\nh,oops\n");
        record("--append-to", "i,20\n");
        try (MlvRepository r = MlvRepository.open(dir, new Session(Clock.systemUTC(), Map.of()))) {
            assertThat(r.file("prod", "monitoring/live.csv").large()).isTrue();
        }
        Monitoring.Result all = read(200);
        assertThat(all.path()).isEqualTo("monitoring/live.csv");
        assertThat(all.points()).extracting(Monitoring.Point::kind).containsExactly("put", "append", "append", "append");
        assertThat(all.points()).extracting(Monitoring.Point::rows).containsExactly(2L, 1L, 3L, 1L);
        assertThat(all.points()).extracting(p -> p.means().get("score")).containsExactly(2.0, 5.0, 8.0, 20.0);
        assertThat(all.earlier()).isTrue(); // the put replaced older rows
        assertThat(all.numeric()).containsExactly("score");
        // the newest two only: the stream starts after the second version's bytes
        Monitoring.Result two = read(2);
        assertThat(two.points()).extracting(Monitoring.Point::rows).containsExactly(3L, 1L);
        assertThat(two.points()).extracting(p -> p.means().get("score")).containsExactly(8.0, 20.0);
        assertThat(two.earlier()).isTrue();
    }

    @Test
    void aCommitThatChangesTheFileOtherThanByRecordEndsTheSeries() throws Exception {
        repo(false);
        record("--append-to", "a,1\n");
        ok("switch", "prod");
        Files.writeString(dir.resolve("monitoring/live.csv"), "id,score\nedited,50\n");
        ok("train-commit", "-m", "edit by hand");
        ok("switch", "main");
        record("--append-to", "b,2\nc,4\n");
        Monitoring.Result r = read(200);
        assertThat(r.points()).hasSize(1);
        assertThat(r.points().get(0).rows()).isEqualTo(2);
        assertThat(r.points().get(0).means()).isEqualTo(Map.of("score", 3.0));
        assertThat(r.stoppedAt()).isNotNull();
        assertThat(r.files()).isEqualTo(List.of("monitoring/live.csv"));
    }
}
