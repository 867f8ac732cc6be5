package dev.mlv.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * The Git config that lets plain {@code git} run mlv's filter: {@code filter.mlv.process} (the
 * long-running filter command) and {@code filter.mlv.required} (a failing filter fails the git
 * command, so raw content never slips into Git). Edits one config file, keeping the rest of it.
 *
 * <p>No {@code diff.mlv} setting is written on purpose: git cleans a work-tree file before diffing
 * it, so the default diff of a large file is already the readable pointer diff, while a
 * {@code textconv} command would be handed the raw work-tree file and print its bytes.
 */
public final class FilterDriverConfig {
    static final String PROCESS = "process";
    static final String REQUIRED = "required";
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

    private final Path file;

    /** The settings in config file {@code file} (created when missing). */
    public FilterDriverConfig(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * The command git runs for the filter: the launcher, quoted for the shell git starts it
     * with, and {@code filter-process}.
     */
    public static String processCommand(String launcher) {
        String quoted = PLAIN_WORD.matcher(launcher).matches() ? launcher : "'" + launcher.replace("'", "'\\''") + "'";
        return quoted + " filter-process";
    }

    /** The configured {@code filter.mlv.process} command, or null. */
    public String installedCommand() throws IOException {
        return load().getString(ConfigConstants.CONFIG_FILTER_SECTION, LargeFileFilters.DRIVER, PROCESS);
    }

    /** Writes the settings for {@code command}; returns the keys it changed (empty when all were set). */
    public List<String> install(String command) throws IOException {
        FileBasedConfig config = load();
        List<String> changed = new ArrayList<>();
        String section = ConfigConstants.CONFIG_FILTER_SECTION;
        String driver = LargeFileFilters.DRIVER;
        if (!command.equals(config.getString(section, driver, PROCESS))) {
            config.setString(section, driver, PROCESS, command);
            changed.add(key(PROCESS));
        }
        if (!"true".equals(config.getString(section, driver, REQUIRED))) {
            config.setBoolean(section, driver, REQUIRED, true);
            changed.add(key(REQUIRED));
        }
        if (!changed.isEmpty()) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            config.save();
        }
        return changed;
    }

    /** Removes the {@code filter.mlv} section; returns the keys it removed (empty when none were set). */
    public List<String> uninstall() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        FileBasedConfig config = load();
        List<String> removed = new ArrayList<>();
        for (String name : config.getNames(ConfigConstants.CONFIG_FILTER_SECTION, LargeFileFilters.DRIVER)) {
            removed.add(key(name));
        }
        if (!removed.isEmpty()) {
            config.unsetSection(ConfigConstants.CONFIG_FILTER_SECTION, LargeFileFilters.DRIVER);
            config.save();
        }
        return removed;
    }

    private static String key(String name) {
        return ConfigConstants.CONFIG_FILTER_SECTION + "." + LargeFileFilters.DRIVER + "." + name;
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
