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

    /**
     * A one-line warning naming the Git LFS hooks installed under {@code gitDir/hooks}, or null; null
     * too where git-lfs moves the objects through mlv's agent ({@code lfs.standalonetransferagent=mlv}):
     * there the hooks are what uploads them.
     */
    public static String warning(Path gitDir) throws IOException {
        List<String> found = installed(gitDir);
        if (found.isEmpty() || agentConfigured(gitDir)) {
            return null;
        }
        return "Git LFS hooks are installed (.git/hooks/" + String.join(", ", found) + "); 'git push' would run"
                + " 'git lfs pre-push' for mlv's files: remove them with 'git lfs uninstall --local'";
    }

    /**
     * For a repository whose objects go through mlv's agent: a warning when git-lfs's pre-push hook is
     * missing (then {@code git push} sends the refs without the objects), else null.
     */
    public static String missingPrePush(Path gitDir) throws IOException {
        if (installed(gitDir).contains("pre-push")) {
            return null;
        }
        return "Git LFS's pre-push hook is not installed in " + gitDir.resolve("hooks") + ": 'git push' would push"
                + " the refs without sending the objects through the agent; install it with 'git lfs install --local'";
    }

    private static List<String> installed(Path gitDir) throws IOException {
        List<String> found = new ArrayList<>();
        for (String hook : HOOKS) {
            Path file = gitDir.resolve("hooks").resolve(hook);
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains("git lfs")) {
                found.add(hook);
            }
        }
        return found;
    }

    /** Whether the repository's own config makes mlv's agent git-lfs's standalone transfer agent. */
    private static boolean agentConfigured(Path gitDir) throws IOException {
        org.eclipse.jgit.storage.file.FileBasedConfig config = new org.eclipse.jgit.storage.file.FileBasedConfig(
                gitDir.resolve("config").toFile(), org.eclipse.jgit.util.FS.DETECTED);
        try {
            config.load();
        } catch (org.eclipse.jgit.errors.ConfigInvalidException e) {
            return false; // git itself reports a broken config; the warning stays as it was
        }
        return "mlv".equals(config.getString("lfs", null, "standalonetransferagent"));
    }
}
