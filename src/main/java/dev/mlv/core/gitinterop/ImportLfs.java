package dev.mlv.core.gitinterop;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.LfsHooks;
import dev.mlv.core.workspace.TrackedPatterns;
import dev.mlv.git.PointerScan;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import dev.mlv.store.PutResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code mlv import-lfs}: a Git LFS repository adopts mlv without rewriting history. Its pointer
 * files already have mlv's format, so only the content moves: every LFS object that HEAD (or any
 * ref) references is read from {@code .git/lfs/objects} into mlv's store, its SHA-256 checked on
 * the way. Then {@code .gitattributes} switches {@code filter=lfs} (and {@code diff}, {@code merge})
 * to {@code mlv} in one new commit, and the repository's git config gets mlv's filter driver.
 * Nothing is switched while an object is missing (unless allowed) or corrupt.
 */
public final class ImportLfs {
    static final String COMMIT_MESSAGE = "Move large files from Git LFS to mlv\n\n"
            + "The pointer files stay as they are; their content is now in mlv's store.\n";

    private final Session session;
    private Path directory;
    private boolean allRefs;
    private boolean allowMissing;
    private String launcher = Install.DEFAULT_LAUNCHER;

    public ImportLfs(Session session) {
        this.session = session;
    }

    /** A directory in the repository's work tree. */
    public ImportLfs setDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** Import the objects referenced anywhere in the history of every ref, not only by HEAD. */
    public ImportLfs setAllRefs(boolean allRefs) {
        this.allRefs = allRefs;
        return this;
    }

    /** Switch to mlv even when some objects are not in {@code .git/lfs/objects}. */
    public ImportLfs setAllowMissing(boolean allowMissing) {
        this.allowMissing = allowMissing;
        return this;
    }

    /** The mlv executable written into the git config (see {@link Install#setLauncher}). */
    public ImportLfs setLauncher(String launcher) {
        this.launcher = launcher;
        return this;
    }

    /** An object referenced by a pointer that is not in the LFS object directory. */
    public record Missing(String path, String oid, long size) {
    }

    /**
     * What the import did.
     *
     * @param objects       distinct objects referenced
     * @param imported      objects read from Git LFS into mlv's store
     * @param alreadyStored objects mlv's store had already
     * @param importedBytes bytes of the imported objects
     * @param missing       objects not found (only with allow-missing; otherwise the import fails)
     * @param switchedLines {@code .gitattributes} lines switched from lfs to mlv
     * @param commit        the commit that switched them, or null when there was nothing to switch
     * @param warnings      things the user should still do
     */
    public record Result(int objects, int imported, int alreadyStored, long importedBytes, List<Missing> missing,
                         List<String> switchedLines, String commit, List<String> warnings) {
    }

    public Result call() throws MlvException {
        Path gitDir = GitConfigScope.gitDir(session, directory);
        Path workTree = gitDir.getParent();
        if (!gitDir.getFileName().toString().equals(Constants.DOT_GIT) || workTree == null) {
            throw MlvException.usage("the repository at " + gitDir + " has no work tree; run import-lfs in a clone with one");
        }
        Path lfsObjects = gitDir.resolve("lfs").resolve("objects");
        try (MlvRepository repo = MlvRepository.openAt(workTree, session)) {
            // the switch is committed: know who commits before anything changes
            Identity author = Identity.author(session, repo.git());
            Identity committer = Identity.committer(session, repo.git());
            repo.content().initialize();
            PointerScan scan = new PointerScan(repo.git());
            List<PointerScan.Found> found = allRefs ? scan.allRefs() : scan.head();
            Map<Oid, PointerScan.Found> byOid = new LinkedHashMap<>();
            found.forEach(f -> byOid.putIfAbsent(f.pointer().oid(), f));

            int imported = 0;
            int already = 0;
            long importedBytes = 0;
            List<Missing> missing = new ArrayList<>();
            for (PointerScan.Found f : byOid.values()) {
                Pointer pointer = f.pointer();
                if (repo.content().has(pointer.oid())) {
                    already++;
                    continue;
                }
                String hex = pointer.oid().hex();
                Path object = lfsObjects.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
                if (!Files.isRegularFile(object)) {
                    missing.add(new Missing(f.path(), hex, pointer.size()));
                    continue;
                }
                PutResult put = repo.content().store().put(object);
                if (!put.pointer().oid().equals(pointer.oid()) || put.pointer().size() != pointer.size()) {
                    throw MlvException.integrity("Git LFS object " + object + " for '" + f.path() + "' is corrupt: its content"
                            + " hashes to sha256:" + put.pointer().oid().hex() + " (" + put.pointer().size()
                            + " bytes), not to the pointer's sha256:" + hex + " (" + pointer.size() + " bytes); nothing"
                            + " was switched; fetch it again with 'git lfs fetch' and rerun 'mlv import-lfs'", null);
                }
                imported++;
                importedBytes += pointer.size();
            }
            if (!missing.isEmpty() && !allowMissing) {
                throw MlvException.notFound(describeMissing(missing, lfsObjects, allRefs));
            }

            List<String> files = attributeFiles(repo);
            List<String> changedFiles = new ArrayList<>();
            List<String> switched = new ArrayList<>();
            for (String file : files) {
                List<String> lines = switchAttributes(workTree, file);
                if (!lines.isEmpty()) {
                    changedFiles.add(file);
                    String where = file.equals(TrackedPatterns.FILE) ? "" : file + ": ";
                    lines.forEach(l -> switched.add(where + l));
                }
            }
            String commit = changedFiles.isEmpty() ? null : commitAttributes(repo, changedFiles, author, committer);
            Install.configure(gitDir.resolve(Constants.CONFIG), GitConfigScope.LOCAL, launcher);
            AtomicFiles.excludeTempFiles(gitDir);
            return new Result(byOid.size(), imported, already, importedBytes, List.copyOf(missing), switched, commit,
                    warnings(gitDir));
        } catch (IOException e) {
            throw new MlvException("cannot import Git LFS content in " + workTree + ": " + e.getMessage(), e);
        }
    }

    private static String describeMissing(List<Missing> missing, Path lfsObjects, boolean allRefs) {
        StringBuilder s = new StringBuilder(missing.size() + " Git LFS object(s) are not in " + lfsObjects + ": ");
        for (int i = 0; i < missing.size() && i < 10; i++) {
            Missing m = missing.get(i);
            s.append(i == 0 ? "" : ", ").append(m.path()).append(" (sha256:").append(m.oid(), 0, 12).append(')');
        }
        if (missing.size() > 10) {
            s.append(" and ").append(missing.size() - 10).append(" more");
        }
        return s.append("; fetch them with 'git lfs fetch").append(allRefs ? " --all" : "")
                .append("' and run 'mlv import-lfs' again, or switch without them with --allow-missing").toString();
    }

    /**
     * Every {@code .gitattributes} of HEAD's tree, the root's first: git applies nested ones to
     * their folder, and a nested {@code filter=lfs} left alone would send that folder's files to
     * {@code .git/lfs/objects} (or, without git-lfs, raw into Git). A root file not committed yet
     * is included too.
     */
    private static List<String> attributeFiles(MlvRepository repo) throws IOException {
        List<String> files = new ArrayList<>();
        files.add(TrackedPatterns.FILE);
        org.eclipse.jgit.lib.ObjectId head = repo.git().resolve(Constants.HEAD + "^{tree}");
        if (head == null) {
            return files;
        }
        try (org.eclipse.jgit.treewalk.TreeWalk tw = new org.eclipse.jgit.treewalk.TreeWalk(repo.git())) {
            tw.addTree(head);
            tw.setRecursive(true);
            tw.setFilter(org.eclipse.jgit.treewalk.filter.PathSuffixFilter.create("/" + TrackedPatterns.FILE));
            while (tw.next()) {
                files.add(tw.getPathString());
            }
        }
        return files;
    }

    /** Rewrites the lfs attributes of one attributes file to mlv's; returns the lines changed (as they now read). */
    static List<String> switchAttributes(Path workTree, String path) throws IOException {
        Path file = workTree.resolve(path);
        List<String> changed = new ArrayList<>();
        if (!Files.exists(file)) {
            return changed;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("(?<=\n)", -1)) {
            String switchedLine = switchLine(line);
            if (!switchedLine.equals(line)) {
                changed.add(switchedLine.strip());
            }
            out.append(switchedLine);
        }
        if (!changed.isEmpty()) {
            AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
        }
        return changed;
    }

    private static String switchLine(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return line;
        }
        // attributes are whitespace-separated tokens after the pattern; only whole tokens change
        return line.replaceAll("(?<=\\s)(filter|diff|merge)=lfs(?=\\s|$)", "$1=mlv");
    }

    private String commitAttributes(MlvRepository repo, List<String> files, Identity author, Identity committer)
            throws MlvException {
        try (Git git = new Git(repo.git())) {
            Instant now = session.clock().instant();
            var command = git.commit();
            files.forEach(command::setOnly);
            RevCommit commit = command
                    .setMessage(COMMIT_MESSAGE)
                    .setAuthor(author.at(session, now))
                    .setCommitter(committer.at(session, now))
                    .call();
            return commit.name();
        } catch (GitAPIException e) {
            throw new MlvException("switched " + String.join(", ", files) + " to mlv but cannot commit: " + e.getMessage()
                    + "; commit with 'git commit " + String.join(" ", files) + "'", e);
        }
    }

    /** Git LFS hooks left in place would try to upload mlv's new pointers to an LFS server on push. */
    private static List<String> warnings(Path gitDir) throws IOException {
        String warning = LfsHooks.warning(gitDir);
        return warning == null ? List.of() : List.of(warning);
    }
}
