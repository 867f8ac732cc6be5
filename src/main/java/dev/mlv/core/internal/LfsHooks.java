package dev.mlv.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Git LFS's hooks in an mlv repository: git-lfs installs them by itself (on {@code git lfs install},
 * and on commands such as {@code git lfs fsck}), and then {@code git push} runs
 * {@code git lfs pre-push}, which fails or uploads to an LFS server mlv does not use.
 */
public final class LfsHooks {
    private static final List<String> HOOKS = List.of("pre-push", "post-checkout", "post-commit", "post-merge");

    private LfsHooks() {
    }

    /** A one-line warning naming the Git LFS hooks installed under {@code gitDir/hooks}, or null. */
    public static String warning(Path gitDir) throws IOException {
        List<String> found = new ArrayList<>();
        for (String hook : HOOKS) {
            Path file = gitDir.resolve("hooks").resolve(hook);
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains("git lfs")) {
                found.add(hook);
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        return "Git LFS hooks are installed (.git/hooks/" + String.join(", ", found) + "); 'git push' would run"
                + " 'git lfs pre-push' for mlv's files: remove them with 'git lfs uninstall --local'";
    }
}
