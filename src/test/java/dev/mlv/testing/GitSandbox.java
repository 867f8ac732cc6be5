package dev.mlv.testing;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps the developer's and the machine's Git configuration out of tests: JGit reads an empty
 * user config and a system config that only keeps automatic gc in the foreground. JGit's own config (its file-system timing cache) stays where it is, so
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
                EmptyConfig system = new EmptyConfig(parent, fs);
                // JGit's automatic gc after a push or fetch runs in a thread of its own by default,
                // which can outlive the test and then fail on its deleted temp folder (an ERROR in
                // the run's output). Here it runs, or finds nothing to do, in the command's thread.
                system.setBoolean("gc", null, "autoDetach", false);
                return system;
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
