package dev.mlv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    }

    @Test
    void aNewFileGetsTheModeEveryNewFileGets() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written");
        AtomicFiles.write(written, "x".getBytes(StandardCharsets.UTF_8));
        // 0666 less the umask, like the files git writes; Files.createTempFile would give 0600
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(Files.readString(written)).isEqualTo("x");
    }

    @Test
    void aRewriteKeepsTheTargetsMode() throws Exception {
        for (String mode : new String[] {"rw-r-----", "rwxr-xr-x", "rw-------"}) {
            Path target = Files.writeString(dir.resolve("t-" + mode), "old");
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
            AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo(mode);
            assertThat(Files.readString(target)).isEqualTo("new");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".mlv-tmp"));
        }
    }

    @Test
    void leftoverTempFilesAreIgnoredByTheRepository() throws Exception {
        Path work = dir.resolve("repo");
        try (Git git = Git.init().setDirectory(work.toFile()).call()) {
            Path gitDir = work.resolve(".git");
            Files.createDirectories(gitDir.resolve("info"));
            Files.writeString(gitDir.resolve("info/exclude"), "*.log"); // no final newline
            assertThat(AtomicFiles.excludeTempFiles(gitDir)).isTrue();
            assertThat(AtomicFiles.excludeTempFiles(gitDir)).isFalse();
            assertThat(Files.readAllLines(gitDir.resolve("info/exclude")))
                    .startsWith("*.log").endsWith(AtomicFiles.TEMP_PATTERN)
                    .filteredOn(AtomicFiles.TEMP_PATTERN::equals).hasSize(1);

            // what a crash mid-write leaves, at the top and deeper down
            Files.createDirectories(work.resolve("models"));
            Path top = AtomicFiles.tempBeside(work.resolve(".gitattributes"));
            Path deeper = AtomicFiles.tempBeside(work.resolve("models/model.bin"));
            Files.writeString(work.resolve("models/model.bin"), "real");
            assertThat(top.getFileName().toString()).startsWith("..gitattributes.").endsWith(".mlv-tmp");
            assertThat(deeper.getFileName().toString()).startsWith(".model.bin.").endsWith(".mlv-tmp");
            assertThat(top).exists();
            assertThat(deeper).exists();
            assertThat(git.status().call().getUntracked()).containsExactly("models/model.bin");
        }
    }
}
