package dev.mlv.core.gitinterop;

import dev.mlv.core.MlvException;
import dev.mlv.core.Session;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.git.FilterProcess;
import dev.mlv.git.MlvGitRepository;
import dev.mlv.git.PktLineException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code mlv filter-process}: serves git's long-running filter protocol for the repository git
 * started it in (git runs filters in the top of the work tree and sets {@code GIT_DIR}), cleaning
 * large files into {@code .git/mlv/store} and smudging them back out of it. One process serves
 * one git command. It needs only the Git repository and its store; content the store lacks is
 * fetched from the store remote {@code .mlv/config.json} names, when there is one.
 */
public final class GitFilterProcess {
    private final Session session;
    private Path directory;
    private InputStream fromGit;
    private OutputStream toGit;
    private PrintStream messages;

    public GitFilterProcess(Session session) {
        this.session = session;
    }

    /** The directory git started the filter in. */
    public GitFilterProcess setDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    /**
     * The protocol channel: git's requests and content in, answers out. {@code toGit} is the
     * process's raw stdout; nothing else may write to it. {@code messages} (stderr) gets what the
     * user should read: a file that could not be stored or restored, and why.
     */
    public GitFilterProcess setChannel(InputStream fromGit, OutputStream toGit, PrintStream messages) {
        this.fromGit = fromGit;
        this.toGit = toGit;
        this.messages = messages;
        return this;
    }

    /** Serves requests until git closes the channel. */
    public void call() throws MlvException {
        Path gitDir = GitConfigScope.gitDir(session, directory);
        try {
            Path commonDir = MlvGitRepository.commonDir(gitDir); // a linked work tree uses the main one's store
            Path mlvDir = commonDir.resolve("mlv");
            Path workTree = directory == null ? null : directory.toAbsolutePath().normalize();
            try (RepoContent content = new RepoContent(mlvDir.resolve("store"), mlvDir.resolve("lock"));
                 FilterFetcher fetcher = new FilterFetcher(content, commonDir, workTree)) {
                content.setFetcher(fetcher);
                Path spool = Files.createDirectories(mlvDir.resolve("tmp"));
                new FilterProcess(content, fromGit, toGit, messages).spoolDirectory(spool).run();
                toGit.flush();
            }
        } catch (PktLineException e) {
            String message = e.getMessage();
            throw new MlvException("the filter protocol with git broke: " + message
                    + (message.contains("started by git") ? "" : "; 'mlv filter-process' is started by git, which"
                    + " ended the conversation wrongly or crashed: run the git command again"), e);
        } catch (IOException e) {
            throw new MlvException("the filter for git failed in " + gitDir.getParent() + ": " + e.getMessage()
                    + "; the git command that started it failed too, run it again once this is fixed", e);
        }
    }
}
