package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.testing.Slow;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers share the lock, gc excludes them, within one JVM and across processes; death releases it. */
class StoreLockTest {
    @TempDir
    Path dir;

    /** Child process: holds the lock shared until killed. */
    public static void main(String[] args) throws Exception {
        try (StoreLock lock = StoreLock.acquire(Path.of(args[0]), StoreLock.Mode.SHARED, Duration.ofSeconds(30), "child")) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void sharedHoldersExcludeGcInOneJvm() throws Exception {
        Path file = dir.resolve("lock");
        StoreLock a = StoreLock.acquire(file, StoreLock.Mode.SHARED, Duration.ZERO, "a");
        StoreLock b = StoreLock.acquire(file, StoreLock.Mode.SHARED, Duration.ZERO, "b");
        assertThatThrownBy(() -> StoreLock.acquire(file, StoreLock.Mode.EXCLUSIVE, Duration.ofMillis(50), "gc"))
                .isInstanceOf(LockBusyException.class);
        a.close();
        assertThatThrownBy(() -> StoreLock.acquire(file, StoreLock.Mode.EXCLUSIVE, Duration.ZERO, "gc"))
                .isInstanceOf(LockBusyException.class);
        b.close();
        try (StoreLock gc = StoreLock.acquire(file, StoreLock.Mode.EXCLUSIVE, Duration.ZERO, "gc")) {
            assertThatThrownBy(() -> StoreLock.acquire(file, StoreLock.Mode.SHARED, Duration.ofMillis(50), "w"))
                    .isInstanceOf(LockBusyException.class);
        }
        StoreLock.acquire(file, StoreLock.Mode.SHARED, Duration.ZERO, "w").close();
    }

    @Test
    @Slow
    void anotherProcessHoldsItUntilItDiesAndAStaleRecordIsReported() throws Exception {
        Path file = dir.resolve("lock");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(javaBin.toString(), "-Xmx64m", "-cp", classpath, StoreLockTest.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        try {
            String line = new String(child.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
            assertThat(line).isEqualTo("locked");
            assertThatThrownBy(() -> StoreLock.acquire(file, StoreLock.Mode.EXCLUSIVE, Duration.ofMillis(100), "gc"))
                    .isInstanceOf(LockBusyException.class)
                    .hasMessageContaining("process " + child.pid());
            // The record now names a process that is not running: the message calls it stale and says how to clear it.
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(0);
                f.write(("pid=999999999 host=" + java.net.InetAddress.getLocalHost().getHostName()
                        + " mode=shared since=2020-01-01T00:00:00Z for=write ").getBytes(StandardCharsets.UTF_8));
            }
            assertThatThrownBy(() -> StoreLock.acquire(file, StoreLock.Mode.EXCLUSIVE, Duration.ofMillis(100), "gc"))
                    .hasMessageContaining("looks stale").hasMessageContaining("delete the lock file");
            // Writers still share it with the other process.
            StoreLock.acquire(file, StoreLock.Mode.SHARED, Duration.ofSeconds(5), "w").close();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        StoreLock.acquire(file, StoreLock.Mode.EXCLUSIVE, Duration.ofSeconds(5), "gc").close();
    }
}
