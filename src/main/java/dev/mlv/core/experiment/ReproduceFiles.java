package dev.mlv.core.experiment;

import dev.mlv.core.internal.Pointers;
import dev.mlv.store.FileReadStream;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Bit-for-bit comparison of the files under a folder ({@code models/}) of a commit with a
 * re-run's: a large file by the SHA-256 its pointer records, any other file by its Git blob id.
 */
final class ReproduceFiles {
    private ReproduceFiles() {
    }

    static void compare(ObjectReader reader, RevCommit commit, Path dir, String folder, List<Reproduce.Row> rows)
            throws IOException {
        Set<String> seen = new HashSet<>();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(commit.getTree());
            tw.setRecursive(true);
            tw.setFilter(PathFilter.create(folder.substring(0, folder.length() - 1)));
            while (tw.next()) {
                if (tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    continue;
                }
                String path = tw.getPathString();
                seen.add(path);
                Path file = dir.resolve(path);
                Pointer pointer = Pointers.read(reader, tw.getObjectId(0));
                String recorded = pointer != null ? "sha256:" + pointer.oid().hex() : "blob:" + tw.getObjectId(0).name();
                String reproduced = !Files.isRegularFile(file) ? null
                        : pointer != null ? "sha256:" + sha256(file) : "blob:" + blobId(file).name();
                rows.add(row(path, recorded, reproduced));
            }
        }
        Path models = dir.resolve(folder);
        if (Files.isDirectory(models)) {
            try (Stream<Path> files = Files.walk(models)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String path = dir.relativize(f).toString().replace('\\', '/');
                    if (!seen.contains(path)) {
                        rows.add(new Reproduce.Row("file", path, "-", "sha256:" + sha256(f).substring(0, 12), "new", "", false));
                    }
                }
            }
        }
    }

    private static Reproduce.Row row(String path, String recorded, String reproduced) {
        boolean same = recorded.equals(reproduced);
        return new Reproduce.Row("file", path, shortId(recorded), reproduced == null ? "-" : shortId(reproduced),
                reproduced == null ? "missing" : same ? "same" : "differs", "", same);
    }

    private static String shortId(String id) {
        int colon = id.indexOf(':');
        return id.substring(0, Math.min(id.length(), colon + 13));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(FileReadStream.open(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return java.util.HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectId blobId(Path file) throws IOException {
        try (InputStream in = FileReadStream.open(file)) {
            return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, Files.size(file), in);
        }
    }
}
