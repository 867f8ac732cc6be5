package dev.mlv.core.serving;

import dev.mlv.core.FileChange;
import dev.mlv.core.Json;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.RepoFile;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.core.internal.Revisions;
import dev.mlv.core.workspace.Cat;
import dev.mlv.store.ProgressListener;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/**
 * {@code mlv export REF [PATH...] --to DIR}: a read-only snapshot of a branch's files for an
 * inference container, swapped in atomically. {@code DIR} is a symbolic link to
 * {@code DIR.versions/<commit>}; a new version is written beside it (streamed from the store and
 * verified, every file and directory fsynced), then a new link is renamed over {@code DIR}. A
 * reader that resolves {@code DIR} once sees one complete version, never a mix or a partial file.
 * Files unchanged since the previous version are hard-linked, not rewritten. See docs/cli.md.
 */
public final class Export {
    /** The snapshot's description, written into each version directory. */
    public static final String MANIFEST = ".mlv-export.json";
    static final String TMP_PREFIX = ".tmp-";

    private final MlvRepository repo;
    private List<String> paths = List.of("models");
    private Path target;
    private int keep = 3;

    private ProgressListener progress = ProgressListener.NONE;

    public Export(MlvRepository repo) {
        this.repo = repo;
    }

    /** Repository paths (files or directories) to export; default {@code models}. */
    public Export setPaths(List<String> paths) {
        this.paths = paths.isEmpty() ? List.of("models") : List.copyOf(paths);
        return this;
    }

    /** The directory consumers read: it becomes a symbolic link into {@code DIR.versions/}. */
    public Export setTarget(Path dir) {
        this.target = dir.toAbsolutePath().normalize();
        return this;
    }

    /** How many versions to keep in {@code DIR.versions/} (the current one included); at least 2. */
    /** Told the bytes of large files as they are written, and their total once known. */
    public Export setProgress(ProgressListener progress) {
        this.progress = progress;
        return this;
    }

    public Export setKeep(int keep) {
        this.keep = Math.max(2, keep);
        return this;
    }

    /** One exported file. */
    public record ExportedFile(String path, String oid, long size, boolean large) {
    }

    /**
     * The outcome of one export. {@code changed} is false when {@code DIR} already held this
     * commit's files; {@code changes} compare against the previous version.
     */
    public record Result(String ref, String commit, String previousCommit, boolean changed, String version,
                         List<ExportedFile> files, long bytes, long bytesWritten, List<FileChange> changes) {
    }

    /** Called by {@link #watch} for each new version, and for a failed round that was not the first. */
    public interface Watcher {
        void exported(Result result);

        void failed(MlvException error);
    }

    /** Exports {@code ref}'s files once; a no-op when {@code DIR} already holds them. */
    public Result call(String ref) throws MlvException {
        if (target == null) {
            throw MlvException.usage("no export directory given; pass --to DIR");
        }
        List<String> wanted = new ArrayList<>();
        for (String p : paths) {
            String clean = Cat.split(":" + p)[1];
            wanted.add(clean.endsWith("/") ? clean.substring(0, clean.length() - 1) : clean);
        }
        Path versions = versionsDir();
        try {
            Path current = currentVersion(versions);
            JsonNode currentManifest = current == null ? null : readManifest(current);
            try (RevWalk walk = new RevWalk(repo.git()); ObjectReader reader = repo.git().newObjectReader()) {
                RevCommit commit = Revisions.commit(repo.git(), walk, ref);
                List<Entry> entries = list(reader, commit, wanted, ref);
                List<ExportedFile> files = entries.stream().map(Entry::file).toList();
                long bytes = files.stream().mapToLong(ExportedFile::size).sum();
                String previousCommit = currentManifest == null ? null : currentManifest.path("commit").asText(null);
                if (currentManifest != null && commit.name().equals(previousCommit)
                        && Json.tree(wanted).equals(currentManifest.get("paths"))) {
                    return new Result(ref, commit.name(), previousCommit, false, versions.relativize(current).toString(),
                            files, bytes, 0, List.of());
                }
                Map<String, ExportedFile> before = filesOf(currentManifest);
                Files.createDirectories(versions);
                removeStaleTemps(versions);
                Path tmp = versions.resolve(TMP_PREFIX + commit.name() + "-" + nonce());
                long written;
                progress.totalKnown(entries.stream().map(Entry::file)
                        .filter(f -> f.large() && (before.get(f.path()) == null || !before.get(f.path()).oid().equals(f.oid())))
                        .mapToLong(ExportedFile::size).sum());
                try (RepoContent.Reporting reporting = repo.content().reportTo(progress)) {
                    written = write(tmp, reader, entries, current, before);
                    writeManifest(tmp, ref, commit.name(), wanted, files);
                    fsync(tmp);
                    Path version = publish(versions, tmp, commit.name());
                    tmp = null;
                    swap(versions, version);
                    prune(versions, version);
                    return new Result(ref, commit.name(), previousCommit, true, versions.relativize(version).toString(),
                            files, bytes, written, changes(before, files));
                } finally {
                    if (tmp != null) {
                        deleteTree(tmp);
                    }
                }
            }
        } catch (IOException e) {
            throw new MlvException("cannot export " + ref + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Follows {@code ref}: exports it now (errors here are thrown), then every {@code interval}
     * exports again when it moved, telling {@code watcher}. Returns when the thread is interrupted
     * or after {@code maxRounds} rounds (0: no limit).
     */
    public void watch(String ref, Duration interval, long maxRounds, Watcher watcher) throws MlvException {
        Result first = call(ref);
        watcher.exported(first);
        for (long round = 1; maxRounds <= 0 || round < maxRounds; round++) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Result r = call(ref);
                if (r.changed()) {
                    watcher.exported(r);
                }
            } catch (MlvException e) {
                watcher.failed(e); // the last good version stays in place; try again next round
            }
        }
    }

    private Path versionsDir() {
        return target.resolveSibling(target.getFileName() + ".versions");
    }

    /** The version directory {@code DIR} links to; null when DIR does not exist yet. */
    private Path currentVersion(Path versions) throws IOException, MlvException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isSymbolicLink(target)) {
            throw MlvException.usage(target + " exists and is not an mlv export (a link to " + versions.getFileName()
                    + "/<commit>); remove it or export to another directory");
        }
        Path linked = target.resolveSibling(Files.readSymbolicLink(target)).normalize();
        if (!linked.getParent().equals(versions) || !Files.isDirectory(linked)) {
            throw MlvException.usage(target + " links to " + linked + ", which is not a version in " + versions
                    + "; remove the link or export to another directory");
        }
        return linked;
    }

    private static JsonNode readManifest(Path version) throws IOException {
        Path m = version.resolve(MANIFEST);
        return Files.isRegularFile(m) ? Json.readTree(Files.readAllBytes(m)) : null;
    }

    private static Map<String, ExportedFile> filesOf(JsonNode manifest) {
        Map<String, ExportedFile> files = new HashMap<>();
        if (manifest != null) {
            for (JsonNode f : manifest.path("files")) {
                files.put(f.path("path").asText(), new ExportedFile(f.path("path").asText(), f.path("oid").asText(),
                        f.path("size").asLong(), f.path("large").asBoolean()));
            }
        }
        return files;
    }

    /** A file to export and the blob it comes from. */
    private record Entry(ExportedFile file, org.eclipse.jgit.lib.ObjectId blob, boolean executable) {
    }

    private List<Entry> list(ObjectReader reader, RevCommit commit, List<String> wanted, String ref)
            throws IOException, MlvException {
        List<Entry> entries = new ArrayList<>();
        boolean[] matched = new boolean[wanted.size()];
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            tw.setFilter(PathFilterGroup.createFromStrings(wanted));
            while (tw.next()) {
                String path = tw.getPathString();
                for (int i = 0; i < wanted.size(); i++) {
                    matched[i] |= path.equals(wanted.get(i)) || path.startsWith(wanted.get(i) + "/");
                }
                FileMode mode = tw.getFileMode(0);
                if (mode.getObjectType() != Constants.OBJ_BLOB || mode == FileMode.SYMLINK) {
                    continue; // submodules and symbolic links are not model files
                }
                var pointer = Pointers.read(reader, tw.getObjectId(0));
                ExportedFile f = pointer != null
                        ? new ExportedFile(path, pointer.oid().hex(), pointer.size(), true)
                        : new ExportedFile(path, tw.getObjectId(0).name(), reader.getObjectSize(tw.getObjectId(0), Constants.OBJ_BLOB), false);
                entries.add(new Entry(f, tw.getObjectId(0), mode == FileMode.EXECUTABLE_FILE));
            }
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!matched[i]) {
                throw MlvException.notFound("'" + wanted.get(i) + "' does not exist in " + ref + " ("
                        + commit.abbreviate(12).name() + "); nothing was exported");
            }
        }
        return entries;
    }

    /** Writes every file into {@code dir}; returns the bytes actually written (not linked). */
    private long write(Path dir, ObjectReader reader, List<Entry> entries, Path current, Map<String, ExportedFile> before)
            throws IOException, MlvException {
        Files.createDirectories(dir);
        long written = 0;
        for (Entry e : entries) {
            Path out = dir.resolve(e.file().path());
            Files.createDirectories(out.getParent());
            ExportedFile old = before.get(e.file().path());
            if (old != null && old.oid().equals(e.file().oid()) && link(current.resolve(e.file().path()), out)) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream os = Channels.newOutputStream(ch)) {
                if (e.file().large()) {
                    try (InputStream in = new RepoFile(repo, "", e.file().path(), e.file().oid(), e.file().size(), true).open()) {
                        written += in.transferTo(os); // the store checks every chunk and the whole file's oid
                    }
                } else {
                    reader.open(e.blob()).copyTo(os);
                    written += e.file().size();
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(e.executable() ? "r-xr-xr-x" : "r--r--r--"));
        }
        return written;
    }

    /** Hard-links an unchanged file from the previous version; false when links are not possible. */
    private static boolean link(Path existing, Path out) {
        try {
            Files.createLink(out, existing);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void writeManifest(Path dir, String ref, String commit, List<String> wanted, List<ExportedFile> files)
            throws IOException {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("ref", ref);
        m.put("commit", commit);
        m.set("paths", Json.tree(wanted));
        ArrayNode list = m.putArray("files");
        files.forEach(f -> list.add(Json.tree(f)));
        Path p = dir.resolve(MANIFEST);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(Json.writeBytes(m)));
            ch.force(true);
        }
    }

    /** Renames the finished temp directory to its version name: the commit, or the commit and a suffix. */
    private static Path publish(Path versions, Path tmp, String commit) throws IOException {
        Path version = versions.resolve(commit);
        for (int attempt = 0; ; attempt++) {
            try {
                if (Files.exists(version, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(version.toString());
                }
                Files.move(tmp, version, StandardCopyOption.ATOMIC_MOVE);
                fsyncDir(versions);
                return version;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 20) {
                    throw e;
                }
                version = versions.resolve(commit + "-" + nonce());
            }
        }
    }

    /** Points {@code DIR} at {@code version}: a new link beside it, renamed over it (atomic on POSIX). */
    private void swap(Path versions, Path version) throws IOException {
        Path parent = target.getParent();
        Path link = parent.resolve("." + target.getFileName() + TMP_PREFIX + nonce());
        Files.createSymbolicLink(link, parent.relativize(version));
        try {
            Files.move(link, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(link);
        }
        fsyncDir(parent);
        Files.setLastModifiedTime(version, FileTime.fromMillis(System.currentTimeMillis()));
    }

    /** Removes versions beyond the newest {@code keep}; the current one always stays. */
    private void prune(Path versions, Path current) throws IOException {
        List<Path> old;
        try (Stream<Path> s = Files.list(versions)) {
            old = s.filter(p -> !p.getFileName().toString().startsWith(".") && !p.equals(current))
                    .sorted(Comparator.comparing(Export::modified).reversed()).toList();
        }
        for (int i = keep - 1; i < old.size(); i++) {
            deleteTree(old.get(i));
        }
    }

    /** Temp directories another export left behind (killed) more than an hour ago. */
    private static void removeStaleTemps(Path versions) throws IOException {
        long cutoff = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        try (Stream<Path> s = Files.list(versions)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                if (modified(p).toMillis() < cutoff) {
                    deleteTree(p);
                }
            }
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static List<FileChange> changes(Map<String, ExportedFile> before, List<ExportedFile> after) {
        List<FileChange> changes = new ArrayList<>();
        Map<String, ExportedFile> gone = new HashMap<>(before);
        for (ExportedFile f : after) {
            ExportedFile old = gone.remove(f.path());
            if (old == null || !old.oid().equals(f.oid())) {
                changes.add(new FileChange(f.path(), old == null ? "added" : "modified", f.large(), f.size(), f.oid()));
            }
        }
        gone.values().stream().sorted(Comparator.comparing(ExportedFile::path))
                .forEach(f -> changes.add(new FileChange(f.path(), "deleted", f.large(), f.size(), f.oid())));
        return changes;
    }

    private static void fsync(Path dir) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(dir)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        for (Path d : dirs) {
            fsyncDir(d);
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open directories for fsync; the data files were synced
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        }
    }

    private static String nonce() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
