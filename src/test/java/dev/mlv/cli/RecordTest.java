package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mlv record: writing monitoring data to a branch that is not checked out. */
class RecordTest {
    @TempDir
    Path root;
    Path repo;
    CliHarness mlv;

    @BeforeEach
    void setUp() {
        assertThat(new CliHarness(root).run("init", "p").exitCode()).isZero();
        repo = root.resolve("p");
        mlv = new CliHarness(repo);
        ok("promote", "main", "prod", "--create");
    }

    private CliHarness.Result ok(String... args) {
        CliHarness.Result r = mlv.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private Path file(String name, String content) throws IOException {
        Path p = root.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void appendKeepsTheHeaderOnceAndPutReplaces() throws Exception {
        ok("record", "prod", file("a.csv", "id,score\n1,0.5\n").toString(), "--append-to", "monitoring/predictions.csv");
        ok("record", "prod", file("b.csv", "id,score\n2,0.7\n3,0.1\n").toString(), "--append-to", "monitoring/predictions.csv");
        assertThat(ok("cat", "prod:monitoring/predictions.csv").stdout()).isEqualTo("id,score\n1,0.5\n2,0.7\n3,0.1\n");

        ok("record", "prod", file("drift.json", "{\"drift\": 0.1}\n").toString(), "--put", "monitoring/drift.json", "-m", "drift");
        ok("record", "prod", file("drift2.json", "{\"drift\": 0.2}\n").toString(), "--put", "monitoring/drift.json");
        assertThat(ok("cat", "prod:monitoring/drift.json").stdout()).isEqualTo("{\"drift\": 0.2}\n");
        assertThat(ok("log", "prod", "-n", "3").stdout()).contains("drift").contains("Record: put monitoring/drift.json");
        // main, checked out here, is untouched
        assertThat(repo.resolve("monitoring/predictions.csv")).doesNotExist();
    }

    @Test
    void appendingToAFileGitWouldOnlyStreamWorks() throws Exception {
        // JGit refuses to load a blob over its streaming threshold (50 MiB by default) into memory;
        // a 4 MiB threshold lets a 5 MiB monitoring file stand in for a big one here.
        org.eclipse.jgit.storage.file.WindowCacheConfig small = new org.eclipse.jgit.storage.file.WindowCacheConfig();
        small.setStreamFileThreshold(4 << 20);
        small.install();
        try {
            StringBuilder rows = new StringBuilder("id,score\n");
            for (int i = 0; rows.length() < (5 << 20); i++) {
                rows.append(i).append(",0.").append(i % 1000).append('\n');
            }
            ok("record", "prod", file("big.csv", rows.toString()).toString(), "--append-to", "monitoring/predictions.csv");
            CliHarness.Result r = mlv.run("record", "prod", file("more.csv", "id,score\nlast,0.9\n").toString(),
                    "--append-to", "monitoring/predictions.csv");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            CliHarness.Result cat = ok("cat", "prod:monitoring/predictions.csv", "-o", root.resolve("out.csv").toString());
            assertThat(cat.exitCode()).isZero();
            assertThat(Files.readString(root.resolve("out.csv"))).isEqualTo(rows + "last,0.9\n");
        } finally {
            new org.eclipse.jgit.storage.file.WindowCacheConfig().install();
        }
    }

    @Test
    void headerMismatchIsRefusedAndChangesNothing() throws Exception {
        ok("record", "prod", file("a.csv", "id,score\n1,0.5\n").toString(), "--append-to", "monitoring/p.csv");
        String before = ok("log", "prod", "-n", "1", "--json").stdout();
        CliHarness.Result r = mlv.run("record", "prod", file("c.csv", "id,label\n9,x\n").toString(), "--append-to", "monitoring/p.csv");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("header").contains("id,label");
        assertThat(ok("log", "prod", "-n", "1", "--json").stdout()).isEqualTo(before);
    }

    @Test
    void largeTrackedPathsGoToTheStore() throws Exception {
        byte[] model = new byte[200_000];
        new java.util.Random(1).nextBytes(model);
        Path m = root.resolve("m.bin");
        Files.write(m, model);
        CliHarness.Result r = ok("record", "prod", m.toString(), "--put", "models/shadow.bin", "--json");
        assertThat(r.stdout()).contains("\"large\" : true");
        assertThat(ok("cat", "prod:models/shadow.bin").stdoutBytes()).isEqualTo(model);
        assertThat(ok("ls-files", "prod").stdout()).contains("models/shadow.bin");
    }

    @Test
    void largePathsFollowTheCleanRule() throws Exception {
        Path empty = root.resolve("empty.bin");
        Files.write(empty, new byte[0]);
        ok("record", "prod", empty.toString(), "--put", "models/empty.bin");
        assertThat(blob("prod", "models/empty.bin")).isEmpty();

        byte[] model = new byte[50_000];
        new Random(2).nextBytes(model);
        Path m = root.resolve("m.bin");
        Files.write(m, model);
        ok("record", "prod", m.toString(), "--put", "models/a.bin");
        byte[] pointer = blob("prod", "models/a.bin");
        assertThat(new String(pointer, StandardCharsets.UTF_8)).startsWith("version ").contains("size 50000");

        // A file that is a pointer is committed as it is, as git add would: the branch gets the
        // model it names, not a model whose content is pointer text (as record once made it).
        Path p = root.resolve("pointer.bin");
        Files.write(p, pointer);
        CliHarness.Result r = ok("record", "prod", p.toString(), "--put", "models/b.bin", "--json");
        assertThat(r.stdout()).contains("\"bytes\" : 50000");
        assertThat(blob("prod", "models/b.bin")).isEqualTo(pointer);
        assertThat(ok("cat", "prod:models/b.bin").stdoutBytes()).isEqualTo(model);
    }

    @Test
    void appendingToAStoredFileReadsItsLastChunkNotTheWholeFile() throws Exception {
        StringBuilder csv = new StringBuilder("id,score\n");
        for (int i = 0; csv.length() < 3_000_000; i++) {
            csv.append(i).append(',').append((i * 7919) % 1000 / 1000.0).append('\n');
        }
        ok("record", "prod", file("base.csv", csv.toString()).toString(), "--append-to", "models/predictions.csv");
        Path rows = file("rows.csv", "id,score\n-1,0.25\n-2,0.75\n");
        java.util.Map<String, String> who = java.util.Map.of("GIT_AUTHOR_NAME", "Serving", "GIT_AUTHOR_EMAIL",
                "serving@example.com", "GIT_COMMITTER_NAME", "Serving", "GIT_COMMITTER_EMAIL", "serving@example.com");
        for (int i = 0; i < 3; i++) {
            try (dev.mlv.core.MlvRepository api = dev.mlv.core.MlvRepository.open(repo,
                    new dev.mlv.core.Session(java.time.Clock.systemUTC(), who))) {
                var result = new dev.mlv.core.serving.Record(api).setAppendTo("models/predictions.csv").call("prod", rows);
                csv.append("-1,0.25\n-2,0.75\n");
                assertThat(result.large()).isTrue();
                assertThat(result.bytes()).isEqualTo(csv.length());
                // about 45 chunks stored; the header, the last byte and the last chunk are read
                assertThat(api.content().store().chunkReads()).as("chunks read by append %d", i).isLessThanOrEqualTo(3);
            }
        }
        assertThat(ok("cat", "prod:models/predictions.csv").stdout()).isEqualTo(csv.toString());
        assertThat(ok("fsck").exitCode()).isZero();
    }

    private byte[] blob(String branch, String path) throws IOException {
        try (Repository git = FileRepositoryBuilder.create(repo.resolve(".git").toFile());
             RevWalk walk = new RevWalk(git);
             TreeWalk tw = TreeWalk.forPath(git, path, walk.parseCommit(git.resolve(branch)).getTree())) {
            return git.open(tw.getObjectId(0)).getBytes();
        }
    }

    @Test
    void badInputIsRefused() throws Exception {
        assertThat(mlv.run("record", "nobranch", file("x.csv", "a\n").toString()).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(mlv.run("record", "prod", root.resolve("missing.csv").toString()).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(mlv.run("record", "prod", file("y.csv", "a\n").toString(), "--put", "../escape.csv").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(mlv.run("record", "main", file("z.csv", "a\n").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void eightConcurrentWritersLoseNoRows() throws Exception {
        int writers = 8;
        int batches = 3;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                start.await();
                for (int b = 0; b < batches; b++) {
                    Path f = file("w" + writer + "-" + b + ".csv", "writer,batch,row\n" + writer + "," + b + ",0\n" + writer + "," + b + ",1\n");
                    CliHarness.Result r = new CliHarness(repo).run("record", "prod", f.toString(), "--append-to", "monitoring/rows.csv");
                    assertThat(r.exitCode()).as(r.toString()).isZero();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<Void> f : done) {
            f.get();
        }
        pool.shutdown();
        String[] lines = ok("cat", "prod:monitoring/rows.csv").stdout().split("\n");
        assertThat(lines[0]).isEqualTo("writer,batch,row");
        Set<String> rows = new HashSet<>(List.of(lines).subList(1, lines.length));
        assertThat(lines.length - 1).isEqualTo(writers * batches * 2);
        assertThat(rows).hasSize(writers * batches * 2);
    }
}
