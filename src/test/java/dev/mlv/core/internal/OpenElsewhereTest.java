package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenElsewhereTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void linux() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
    }

    @Test
    void aFileNoOtherProcessHoldsIsFree() throws IOException {
        Path file = Files.write(dir.resolve("model.bin"), new byte[4096]);
        try (FileChannel ours = FileChannel.open(file)) { // this process's own descriptors do not count
            assertThat(OpenElsewhere.test(file)).isFalse();
        }
    }

    @Test
    void aFileAnotherProcessHoldsOpenIsInUse() throws Exception {
        Path file = Files.write(dir.resolve("model.bin"), new byte[4096]);
        Path other = Files.write(dir.resolve("other.bin"), new byte[4096]);
        Process holder = hold("open", file);
        try {
            assertThat(OpenElsewhere.test(file)).isTrue();
            assertThat(OpenElsewhere.test(other)).isFalse();
        } finally {
            release(holder);
        }
        assertThat(OpenElsewhere.test(file)).isFalse();
    }

    /** A model mapped by a serving process whose descriptor is already closed, as numpy and safetensors leave it. */
    @Test
    void aFileAnotherProcessHasMappedIsInUseAfterItsDescriptorIsClosed() throws Exception {
        Path file = Files.write(dir.resolve("mapped model.bin"), new byte[8192]);
        Process holder = hold("map", file);
        try {
            assertThat(OpenElsewhere.test(file)).isTrue();
        } finally {
            release(holder);
        }
        assertThat(OpenElsewhere.test(file)).isFalse();
    }

    @Test
    void aFileThatCannotBeLookedAtCountsAsInUse() {
        assertThat(OpenElsewhere.test(dir.resolve("missing.bin"))).isTrue();
    }

    private static Process hold(String how, Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Holder.class.getName(), how, file.toString()).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).isEqualTo("ready");
        return p;
    }

    private static void release(Process p) throws Exception {
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** The other process: holds the file open, or mapped with its channel closed, until stdin closes. */
    public static final class Holder {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[1]);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            java.nio.MappedByteBuffer map = null;
            if (args[0].equals("map")) {
                map = channel.map(FileChannel.MapMode.READ_ONLY, 0, Files.size(file));
                channel.close();
            }
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close our stdin
            }
            System.out.println(map == null ? channel.size() : map.get(0));
        }
    }
}
