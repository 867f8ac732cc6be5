package dev.mlv.bench;

import dev.mlv.store.ChunkStore;
import dev.mlv.store.Oid;
import dev.mlv.store.PutResult;
import dev.mlv.store.RemoteStore;
import dev.mlv.store.StoreOptions;
import dev.mlv.store.StoreTransfer;
import dev.mlv.store.TransferResult;
import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.S3Backend;
import dev.mlv.store.backend.S3Config;
import dev.mlv.store.backend.S3ProxyFixture;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Push of new content to S3 (S3Proxy on loopback, in memory) against a whole-object upload of the
 * same bytes with the same SDK client settings. Run by {@code src/bench/push-s3.sh}.
 * Args: SIZE_MIB RUNS WORK_DIR.
 */
public final class PushS3Bench {
    private PushS3Bench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        Files.createDirectories(work);
        Path input = work.resolve("input.bin");
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(input)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        List<Double> push = new ArrayList<>();
        List<Double> whole = new ArrayList<>();
        long sent = 0;
        try (S3ProxyFixture s3 = S3ProxyFixture.start()) {
            for (int run = 0; run < runs; run++) {
                Path storeDir = work.resolve("store-" + run);
                Oid oid;
                try (ChunkStore local = ChunkStore.init(storeDir); InputStream in = Files.newInputStream(input)) {
                    PutResult put = local.put(in);
                    oid = put.pointer().oid();
                    S3Config config = s3.config("push-" + run, S3Config.DEFAULT_PART_SIZE);
                    try (RemoteStore remote = RemoteStore.open(new S3Backend(config), work.resolve("cache-" + run),
                            StoreOptions.defaults(), 3, 500)) {
                        long t0 = System.nanoTime();
                        TransferResult r = new StoreTransfer(local, remote).setJobs(4).upload(List.of(oid), false);
                        push.add((System.nanoTime() - t0) / 1e9);
                        sent = r.bytes();
                    }
                }
                Path copy = work.resolve("whole.bin");
                Files.copy(input, copy);
                try (Backend backend = new S3Backend(s3.config("whole-" + run, S3Config.DEFAULT_PART_SIZE))) {
                    long t0 = System.nanoTime();
                    backend.writeFile("whole.bin", copy);
                    whole.add((System.nanoTime() - t0) / 1e9);
                    backend.delete("whole.bin");
                }
                deleteTree(storeDir);
                System.out.printf(Locale.ROOT, "run %d: push %.2f s, whole-object upload %.2f s%n", run + 1,
                        push.get(run), whole.get(run));
            }
        }
        double p = median(push);
        double w = median(whole);
        System.out.printf(Locale.ROOT, "%d MiB new content: push median %.2f s (%.0f MiB/s, %d bytes sent), whole-object"
                + " median %.2f s (%.0f MiB/s); push/whole = %.2f%n", mib, p, mib / p, sent, w, mib / w, p / w);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
