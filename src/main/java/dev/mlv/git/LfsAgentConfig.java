package dev.mlv.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * The Git config that makes git-lfs move a repository's objects through {@code mlv lfs-agent}, its
 * custom transfer agent (git-lfs's docs/custom-transfers.md): {@code lfs.customtransfer.mlv.path},
 * {@code .args} and {@code .concurrent}, and, where the agent should replace the LFS server,
 * {@code lfs.standalonetransferagent = mlv}. Edits one config file, keeping the rest of it.
 */
public final class LfsAgentConfig {
    /** The agent's name in git-lfs's config. */
    public static final String NAME = "mlv";
    private static final String SECTION = "lfs";
    private static final String SUBSECTION = "customtransfer." + NAME;
    private static final String STANDALONE = "standalonetransferagent";

    private final Path file;

    /** The settings in config file {@code file} (created when missing). */
    public LfsAgentConfig(Path file) {
        this.file = file;
    }

    /**
     * Writes the agent's settings: git-lfs starts {@code launcher} (an executable, not a shell
     * command) with {@code args}, one process for all transfers (the agent moves chunks in parallel
     * itself). With {@code standalone}, git-lfs uses it for every transfer without asking an LFS
     * server. Returns the keys it changed (empty when all were set).
     */
    public List<String> install(String launcher, String args, boolean standalone) throws IOException {
        FileBasedConfig config = load();
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("path", launcher);
        wanted.put("args", args);
        wanted.put("concurrent", "false");
        List<String> changed = new ArrayList<>();
        wanted.forEach((name, value) -> {
            if (!value.equals(config.getString(SECTION, SUBSECTION, name))) {
                config.setString(SECTION, SUBSECTION, name, value);
                changed.add(SECTION + "." + SUBSECTION + "." + name);
            }
        });
        if (standalone && !NAME.equals(config.getString(SECTION, null, STANDALONE))) {
            config.setString(SECTION, null, STANDALONE, NAME);
            changed.add(SECTION + "." + STANDALONE);
        }
        if (!changed.isEmpty()) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            config.save();
        }
        return changed;
    }

    /**
     * Removes the agent's settings, and {@code lfs.standalonetransferagent} when it names the agent;
     * returns the keys removed (empty when none were set).
     */
    public List<String> uninstall() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        FileBasedConfig config = load();
        List<String> removed = new ArrayList<>();
        for (String name : config.getNames(SECTION, SUBSECTION)) {
            removed.add(SECTION + "." + SUBSECTION + "." + name);
        }
        if (!removed.isEmpty()) {
            config.unsetSection(SECTION, SUBSECTION);
        }
        if (NAME.equals(config.getString(SECTION, null, STANDALONE))) {
            config.unset(SECTION, null, STANDALONE);
            removed.add(SECTION + "." + STANDALONE);
        }
        if (!removed.isEmpty()) {
            config.save();
        }
        return removed;
    }

    private FileBasedConfig load() throws IOException {
        FileBasedConfig config = new FileBasedConfig(null, file.toFile(), FS.DETECTED);
        try {
            config.load();
        } catch (ConfigInvalidException e) {
            throw new IOException("git config " + file + " cannot be parsed: " + e.getMessage()
                    + "; fix it with 'git config --file " + file + " --edit'", e);
        }
        return config;
    }
}
