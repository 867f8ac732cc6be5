package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
        FileHolder holder = FileHolder.start("open", file);
        try {
            assertThat(OpenElsewhere.test(file)).isTrue();
            assertThat(OpenElsewhere.test(other)).isFalse();
        } finally {
            holder.close();
        }
        assertThat(OpenElsewhere.test(file)).isFalse();
    }

    /** A model mapped by a serving process whose descriptor is already closed, as numpy and safetensors leave it. */
    @Test
    void aFileAnotherProcessHasMappedIsInUseAfterItsDescriptorIsClosed() throws Exception {
        Path file = Files.write(dir.resolve("mapped model.bin"), new byte[8192]);
        FileHolder holder = FileHolder.start("map", file);
        try {
            assertThat(OpenElsewhere.test(file)).isTrue();
        } finally {
            holder.close();
        }
        assertThat(OpenElsewhere.test(file)).isFalse();
    }

    @Test
    void aFileThatCannotBeLookedAtCountsAsInUse() {
        assertThat(OpenElsewhere.test(dir.resolve("missing.bin"))).isTrue();
    }

}
