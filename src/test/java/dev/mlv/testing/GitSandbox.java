package dev.mlv.testing;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps the developer's and the machine's Git configuration out of tests: JGit reads an empty
 * user and system config. JGit's own config (its file-system timing cache) stays where it is, so
 * the measurement JGit makes on a new machine is paid once.
 */
public final class GitSandbox {
    private static boolean installed;

    private GitSandbox() {
    }

    /** Installs the sandbox for this JVM; safe to call many times. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        SystemReader.setInstance(new SystemReader.Delegate(SystemReader.getInstance()) {
            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                return new EmptyConfig(parent, fs);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return new EmptyConfig(parent, fs);
            }
        });
        installed = true;
    }

    /** A config that is never read from or written to disk. */
    private static final class EmptyConfig extends FileBasedConfig {
        EmptyConfig(Config parent, FS fs) {
            super(parent, new File("/dev/null/mlv-test-empty-config"), fs);
        }

        @Override
        public void load() {
            // nothing to load: the sandbox has no user or system config
        }

        @Override
        public void save() {
            // nothing is saved outside the test's own repository
        }

        @Override
        public boolean isOutdated() {
            return false;
        }
    }
}
