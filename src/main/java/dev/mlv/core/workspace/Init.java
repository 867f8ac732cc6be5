package dev.mlv.core.workspace;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.gitinterop.GitConfigScope;
import dev.mlv.core.gitinterop.Install;
import dev.mlv.core.internal.Identity;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * {@code mlv init}: creates a Git repository or adopts an existing one (keeping its history),
 * writes {@code .mlv/config.json} and the default large-file patterns, creates the layout folders
 * and the local store, configures the {@code mlv} filter driver in {@code .git/config} (so plain
 * {@code git} filters large files too; see {@link Install}), and makes a first commit when the
 * repository has none. Running it again changes nothing.
 */
public final class Init {
    /** Folders every experiment branch has. */
    public static final List<String> LAYOUT = List.of("src", "models", "metrics", "logs", "monitoring");
    static final String KEEP = ".gitkeep";
    public static final String INITIAL_BRANCH = "main";

    private final Session session;
    private Path directory;
    private String launcher = Install.DEFAULT_LAUNCHER;

    public Init(Session session) {
        this.session = session;
    }

    public Init setDirectory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** The mlv executable that plain git should start as the filter (see {@link Install#setLauncher}). */
    public Init setLauncher(String launcher) {
        this.launcher = launcher == null || launcher.isBlank() ? Install.DEFAULT_LAUNCHER : launcher;
        return this;
    }

    /**
     * What init did. {@code changes} lists each path or setting written; empty when nothing was.
     * {@code filterProcess} is the command plain git runs as mlv's filter ({@code filter.mlv.process}).
     */
    public record Result(String workTree, boolean createdRepository, boolean adoptedRepository,
                         List<String> changes, String commit, String branch, String filterProcess) {
        @JsonProperty("alreadyInitialized")
        public boolean alreadyInitialized() {
            return changes.isEmpty() && !createdRepository;
        }
    }

    public Result call() throws MlvException {
        Path dir = directory.toAbsolutePath().normalize();
        List<String> changes = new ArrayList<>();
        boolean created = false;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MlvException.usage(dir + " is a file, not a directory");
        }
        Authors authors = firstCommitAuthors(dir); // before anything is written: init makes a first commit
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve(Constants.DOT_GIT))) {
                try (Git ignored = Git.init().setDirectory(dir.toFile()).setInitialBranch(INITIAL_BRANCH).call()) {
                    created = true;
                }
            }
        } catch (IOException | GitAPIException e) {
            throw new MlvException("cannot create a Git repository in " + dir + ": " + e.getMessage(), e);
        }

        boolean firstTime = !Files.exists(dir.resolve(MlvConfig.PATH));
        List<String> scaffold = new ArrayList<>();
        try {
            if (firstTime) {
                AtomicFiles.write(dir.resolve(MlvConfig.PATH), MlvConfig.defaults().toBytes());
                changes.add(MlvConfig.PATH);
                scaffold.add(MlvConfig.PATH);
                TrackedPatterns patterns = TrackedPatterns.read(dir);
                boolean added = false;
                for (String pattern : TrackedPatterns.DEFAULTS) {
                    added |= patterns.add(pattern);
                }
                if (added) {
                    patterns.write(dir);
                    changes.add(TrackedPatterns.FILE);
                }
                scaffold.add(TrackedPatterns.FILE);
                for (String folder : LAYOUT) {
                    Path keep = dir.resolve(folder).resolve(KEEP);
                    if (!Files.exists(dir.resolve(folder))) {
                        Files.createDirectories(keep.getParent());
                        Files.createFile(keep);
                        changes.add(folder + "/");
                        scaffold.add(folder + "/" + KEEP);
                    }
                }
            }
        } catch (IOException e) {
            throw new MlvException("cannot write mlv's files in " + dir + ": " + e.getMessage(), e);
        }

        // Before the repository is opened: JGit reloads a config that changes under it.
        Install.Result install = Install.configure(dir.resolve(Constants.DOT_GIT).resolve(Constants.CONFIG),
                GitConfigScope.LOCAL, launcher);
        install.changed().forEach(key -> changes.add(key + " in .git/config"));

        try (MlvRepository repo = MlvRepository.openAt(dir, session)) {
            if (AtomicFiles.excludeTempFiles(repo.git().getDirectory().toPath())) {
                changes.add(".git/info/exclude");
            }
            if (repo.content().initialize()) {
                changes.add(".git/mlv/store");
            }
            String commit = null;
            boolean adopted = !created && firstTime;
            if (repo.git().resolve(Constants.HEAD) == null && !scaffold.isEmpty()) {
                commit = firstCommit(repo, scaffold, authors);
                adopted = false;
            }
            String branch = repo.git().getBranch();
            return new Result(dir.toString(), created, adopted, List.copyOf(changes), commit, branch, install.command());
        } catch (IOException e) {
            throw new MlvException("cannot set up the repository in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The author and committer of the first commit init will make in {@code dir}, or null when it
     * makes none (mlv's config exists already, or HEAD has commits to adopt).
     */
    private Authors firstCommitAuthors(Path dir) throws MlvException {
        if (Files.exists(dir.resolve(MlvConfig.PATH))) {
            return null;
        }
        if (!Files.exists(dir.resolve(Constants.DOT_GIT))) {
            return new Authors(Identity.author(session, null), Identity.committer(session, null));
        }
        try (Repository git = new FileRepositoryBuilder().setWorkTree(dir.toFile()).setup().build()) {
            if (git.resolve(Constants.HEAD) != null) {
                return null;
            }
            return new Authors(Identity.author(session, git), Identity.committer(session, git));
        } catch (IOException | IllegalArgumentException e) {
            throw new MlvException("cannot open the Git repository in " + dir + ": " + e.getMessage(), e);
        }
    }

    private record Authors(Identity author, Identity committer) {
    }

    private String firstCommit(MlvRepository repo, List<String> paths, Authors authors) throws MlvException {
        try (Git git = new Git(repo.git())) {
            var add = git.add();
            paths.forEach(add::addFilepattern);
            add.call();
            Instant now = session.clock().instant();
            RevCommit commit = git.commit()
                    .setMessage("Initialize mlv repository\n")
                    .setAuthor(authors.author().at(session, now))
                    .setCommitter(authors.committer().at(session, now))
                    .call();
            return ObjectId.toString(commit);
        } catch (GitAPIException e) {
            throw new MlvException("cannot make the first commit: " + e.getMessage(), e);
        }
    }
}
