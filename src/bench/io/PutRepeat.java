import dev.mlv.store.ChunkStore;
import dev.mlv.store.PutResult;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Puts one file into a fresh store N times in one JVM, each time followed by a second put of the
 * same file (all chunks known: no pack writes), and prints their wall times. The first put pays
 * the JIT's warm-up; the later ones show the pipeline alone, with no JVM start and no compilation. Run by src/bench/put-warm.sh.
 */
public final class PutRepeat {
    public static void main(String[] args) throws IOException {
        Path input = Path.of(args[0]);
        Path stores = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < runs; i++) {
            Path store = stores.resolve("put-repeat-" + i);
            delete(store);
            long t0 = System.nanoTime();
            try (ChunkStore s = ChunkStore.init(store)) {
                PutResult first = s.put(input);
                long t1 = System.nanoTime();
                long cpu1 = os.getProcessCpuTime();
                PutResult again = s.put(input);
                long t2 = System.nanoTime();
                long cpu2 = os.getProcessCpuTime();
                System.out.printf("put %d: %.3f s (%d bytes new); again: %.3f s, %.3f s of process CPU (%d bytes new)%n",
                        i + 1, (t1 - t0) / 1e9, first.newBytes(), (t2 - t1) / 1e9, (cpu2 - cpu1) / 1e9, again.newBytes());
            }
            delete(store);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
