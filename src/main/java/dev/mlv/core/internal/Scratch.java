package dev.mlv.core.internal;

import dev.mlv.git.ContentStore;
import dev.mlv.git.MlvGitRepository;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Checkouts of a commit in a directory outside the user's work tree, for {@code mlv reproduce}.
 * The new repository borrows the source's Git objects through {@code objects/info/alternates}
 * (nothing is copied) and smudges large files from the source's store, so each file is written
 * once, straight from the store.
 */
public final class Scratch {
    private Scratch() {
    }

    /** Checks {@code commit} out, detached, into {@code dir} (created when missing). */
    public static void checkout(Path dir, Path sourceGitDir, ContentStore content, RevCommit commit) throws IOException {
        Files.createDirectories(dir);
        try (Git ignored = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            // created
        } catch (GitAPIException e) {
            throw new IOException("cannot create a repository in " + dir + ": " + e.getMessage(), e);
        }
        Path gitDir = dir.resolve(Constants.DOT_GIT);
        Path alternates = gitDir.resolve("objects").resolve("info").resolve("alternates");
        Files.createDirectories(alternates.getParent());
        Files.writeString(alternates, sourceGitDir.resolve("objects").toAbsolutePath() + "\n");
        try (MlvGitRepository git = MlvGitRepository.open(gitDir, content)) {
            DirCache dc = git.lockDirCache();
            try {
                DirCacheCheckout checkout = new DirCacheCheckout(git, dc, commit.getTree());
                checkout.setFailOnConflict(true);
                checkout.checkout();
            } finally {
                dc.unlock();
            }
            RefUpdate head = git.updateRef(Constants.HEAD, true);
            head.setNewObjectId(commit);
            head.forceUpdate();
        }
    }

    /** Deletes a directory tree without following symbolic links; failures are ignored. */
    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    file.toFile().setWritable(true);
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Scratch.class).warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
