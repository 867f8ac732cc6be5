package dev.mlv.core.serving;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Identity;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.RefMoves;
import dev.mlv.core.workspace.Cat;
import dev.mlv.core.workspace.TrackedPatterns;
import dev.mlv.git.CleanRule;
import dev.mlv.store.Pointer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesRule;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code mlv record BRANCH FILE}: commit monitoring data or logs to a branch without checking it
 * out, from a serving process. {@code --put} replaces a file; {@code --append-to} appends CSV rows
 * (the header once; a different header is refused). Concurrent writers retry on compare-and-swap
 * failure, so no row is lost.
 */
public final class Record {
    static final int MAX_ATTEMPTS = 50;

    private final MlvRepository repo;
    private String path;
    private boolean append;
    private String message;

    public Record(MlvRepository repo) {
        this.repo = repo;
    }

    /** Replace (or add) {@code path} with the file's content. */
    public Record setPut(String path) {
        this.path = path;
        this.append = false;
        return this;
    }

    /** Append the file's CSV rows to {@code path}. */
    public Record setAppendTo(String path) {
        this.path = path;
        this.append = true;
        return this;
    }

    public Record setMessage(String message) {
        this.message = message;
        return this;
    }

    public record Result(String branch, String commit, String path, boolean appended, long bytes, boolean large,
                         int attempts) {
    }

    public Result call(String branch, Path file) throws MlvException {
        Branches.checkName(branch);
        if (path == null) {
            path = "monitoring/" + file.getFileName();
            append = false;
        }
        Cat.split(":" + path); // the same path rules as cat: inside the repository
        if (!Files.isRegularFile(file)) {
            throw MlvException.notFound("no such file: " + file);
        }
        Repository git = repo.git();
        String ref = Branches.refName(branch);
        Identity who = Identity.committer(repo.session(), git);
        try {
            if (git.getFullBranch() != null && git.getFullBranch().equals(ref)) {
                throw MlvException.usage("'" + branch + "' is checked out here; record writes to branches that are not"
                        + " checked out (commit here with 'mlv train-commit' instead)");
            }
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                Ref current = git.exactRef(ref);
                if (current == null) {
                    throw MlvException.notFound("branch '" + branch + "' not found");
                }
                Result r = tryOnce(git, branch, ref, current.getObjectId(), file, attempt, who);
                if (r != null) {
                    return r;
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt));
            }
            throw new MlvException(ErrorKind.CONFLICT, "'" + branch + "' kept changing under " + MAX_ATTEMPTS
                    + " attempts to record " + path + "; nothing was recorded; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlvException("interrupted; nothing was recorded");
        } catch (NoSuchFileException e) {
            throw MlvException.notFound("no such file: " + file);
        } catch (IOException e) {
            throw new MlvException("cannot record " + file + " on " + branch + ": " + e.getMessage(), e);
        }
    }

    /** One attempt; null when the branch moved meanwhile. */
    private Result tryOnce(Repository git, String branch, String ref, ObjectId tipId, Path file, int attempt,
                           Identity who) throws IOException, MlvException {
        try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
            ObjectReader reader = walk.getObjectReader();
            RevCommit tip = walk.parseCommit(tipId);
            boolean large = isTrackedLarge(reader, tip, path);
            ObjectId existing = blobAt(reader, tip, path);
            Pointer existingPointer = existing == null ? null : Pointers.read(reader, existing);
            long bytes;
            ObjectId blob;
            if (append && existingPointer != null) {
                // Only the stored file's last chunk and the new rows are read: O(rows), whatever its size.
                Pointer grown;
                try (InputStream rows = appendedRows(reader, existing, existingPointer, file)) {
                    grown = repo.content().append(existingPointer, rows);
                }
                blob = inserter.insert(Constants.OBJ_BLOB, grown.encode());
                bytes = grown.size();
                large = true;
            } else {
                try (InputStream content = newContent(reader, existing, file)) {
                    if (large || existingPointer != null) {
                        // a file appended to is stored so that the next append resumes its hash; a put
                        // is not (that costs a slower hash, worth it for files that grow)
                        CleanRule.Cleaned cleaned = CleanRule.clean(content,
                                append ? repo.content().appendable() : repo.content());
                        blob = inserter.insert(Constants.OBJ_BLOB, cleaned.blob());
                        bytes = cleaned.pointer() == null ? 0 : cleaned.pointer().size();
                        large = true;
                    } else {
                        Spooled spooled = insertSpooled(inserter, content);
                        blob = spooled.blob();
                        bytes = spooled.length();
                    }
                }
            }
            DirCache dc = DirCache.newInCore();
            DirCacheBuilder builder = dc.builder();
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, tip.getTree());
            builder.finish();
            DirCacheBuilder edit = dc.builder();
            for (int i = 0; i < dc.getEntryCount(); i++) {
                if (!dc.getEntry(i).getPathString().equals(path)) {
                    edit.add(dc.getEntry(i));
                }
            }
            DirCacheEntry entry = new DirCacheEntry(path);
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
            edit.add(entry);
            edit.finish();
            ObjectId tree = dc.writeTree(inserter);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentId(tip);
            PersonIdent signature = who.at(repo.session(), repo.session().clock().instant());
            commit.setAuthor(signature);
            commit.setCommitter(signature);
            String subject = message != null && !message.isBlank() ? message.strip()
                    : (append ? "Record: append " : "Record: put ") + path;
            commit.setMessage(subject + "\n\nMlv-Record: " + (append ? "append " : "put ") + path + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            try {
                RefMoves.compareAndSwap(git, ref, tip, id, "record: " + path);
            } catch (MlvException e) {
                if (e.kind() == ErrorKind.CONFLICT) {
                    return null;
                }
                throw e;
            }
            return new Result(branch, id.name(), path, append, bytes, large, attempt);
        }
    }

    /**
     * A Git blob streamed in from a spool file of known length: no size limit, bounded memory.
     */
    private record Spooled(ObjectId blob, long length) {
    }

    private Spooled insertSpooled(ObjectInserter inserter, InputStream content) throws IOException {
        Path spool = Files.createTempFile(Files.createDirectories(repo.commonDir().resolve("mlv").resolve("tmp")),
                "record-", ".tmp");
        try {
            long length = Files.copy(content, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (InputStream in = Files.newInputStream(spool)) {
                return new Spooled(inserter.insert(Constants.OBJ_BLOB, length, in), length);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * The new content of a file kept in Git (or of one not there yet), streamed: with --append-to,
     * the old blob (never read into memory) then {@link #appendedRows}; else FILE itself. Every
     * stream opened here is closed by the returned one, or here when this fails.
     */
    private InputStream newContent(ObjectReader reader, ObjectId existing, Path file) throws IOException, MlvException {
        if (!append || existing == null) {
            return Files.newInputStream(file);
        }
        InputStream old = null;
        try {
            old = reader.open(existing, Constants.OBJ_BLOB).openStream();
            return new SequenceInputStream(old, appendedRows(reader, existing, null, file));
        } catch (IOException | MlvException | RuntimeException e) {
            closeQuietly(old);
            throw e;
        }
    }

    /**
     * What --append-to adds after the old content: a newline if the old content lacks one, then
     * FILE's rows, its header skipped when it repeats the old one (a different header is refused).
     * Reads only the old content's first line and last byte.
     */
    private InputStream appendedRows(ObjectReader reader, ObjectId existing, Pointer existingPointer, Path file)
            throws IOException, MlvException {
        String oldHeader;
        // a channel, not a stream: a stream reads chunks ahead, the first line needs the first one
        try (InputStream head = existingPointer != null
                ? java.nio.channels.Channels.newInputStream(repo.content().openChannel(existingPointer.oid()))
                : reader.open(existing, Constants.OBJ_BLOB).openStream()) {
            oldHeader = firstLine(head);
        }
        String newHeader;
        try (InputStream in = Files.newInputStream(file)) {
            newHeader = firstLine(in);
        }
        if (oldHeader != null && newHeader != null && !newHeader.equals(oldHeader) && looksLikeHeader(newHeader)) {
            throw MlvException.usage("the header of " + file.getFileName() + " (" + newHeader + ") differs from that of "
                    + path + " (" + oldHeader + "); append rows with the same columns, or record to another path");
        }
        byte[] separator = endsWithNewline(reader, existing, existingPointer) ? new byte[0] : new byte[] {'\n'};
        InputStream rows = Files.newInputStream(file);
        try {
            if (newHeader != null && newHeader.equals(oldHeader)) {
                skipLine(rows);
            }
            return new SequenceInputStream(new ByteArrayInputStream(separator), rows);
        } catch (IOException | RuntimeException e) {
            closeQuietly(rows);
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // already failing: the first error is the one to report
            }
        }
    }

    private boolean endsWithNewline(ObjectReader reader, ObjectId existing, Pointer pointer) throws IOException {
        if (pointer == null) {
            var loader = reader.open(existing, Constants.OBJ_BLOB);
            if (loader.getSize() == 0) {
                return true;
            }
            try (InputStream in = loader.openStream()) {
                in.skipNBytes(loader.getSize() - 1);
                return in.read() == '\n';
            }
        }
        if (pointer.size() == 0) {
            return true;
        }
        try (var ch = repo.content().store().openChannel(pointer.oid())) {
            ch.position(pointer.size() - 1);
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            ch.read(one);
            return one.get(0) == '\n';
        }
    }

    /** A first line with a letter in it and no purely numeric fields reads as a header. */
    private static boolean looksLikeHeader(String line) {
        for (String field : line.split(",")) {
            if (field.strip().matches("-?[0-9.eE+-]+")) {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 8192);
        String line = r.readLine();
        return line == null ? null : line.strip();
    }

    private static void skipLine(InputStream in) throws IOException {
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            // skip the header
        }
    }

    private static ObjectId blobAt(ObjectReader reader, RevCommit commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, path, commit.getTree())) {
            return tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB ? null : tw.getObjectId(0);
        }
    }

    /** Whether the branch's root .gitattributes marks the path filter=mlv (the last matching rule wins). */
    private static boolean isTrackedLarge(ObjectReader reader, RevCommit commit, String path) throws IOException {
        ObjectId attributes = blobAt(reader, commit, TrackedPatterns.FILE);
        if (attributes == null) {
            return false;
        }
        AttributesNode node = new AttributesNode();
        node.parse(new ByteArrayInputStream(reader.open(attributes).getBytes()));
        Boolean large = null;
        for (AttributesRule rule : node.getRules()) {
            if (rule.isMatch(path, false)) {
                for (Attribute a : rule.getAttributes()) {
                    if (a.getKey().equals("filter")) {
                        large = a.getState() == Attribute.State.CUSTOM && "mlv".equals(a.getValue());
                    }
                }
            }
        }
        return Boolean.TRUE.equals(large);
    }
}
