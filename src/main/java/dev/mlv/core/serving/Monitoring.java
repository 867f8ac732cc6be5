package dev.mlv.core.serving;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.RepoFile;
import dev.mlv.core.internal.Branches;
import dev.mlv.core.internal.Csv;
import dev.mlv.core.workspace.Cat;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What {@code mlv record} wrote to a branch, over time: the record commits (recognised by their
 * {@code Mlv-Record: append|put PATH} trailer) on the branch's first-parent history, newest
 * {@link #setLimit limit} of them for one file, with the rows each added and the mean of every
 * numeric column over those rows.
 *
 * <p>Bounded: the walk reads at most {@link #MAX_WALK} commits and stops at the first change of the
 * file that is not a record append (a {@code record --put} counts all of its rows; any other
 * commit ends the series). An append only adds bytes after the old content, so each version is a
 * byte prefix of the tip's file: the tip's file is streamed once, from where the oldest shown
 * commit's rows begin, and each row is given to the commit whose bytes hold it.
 */
public final class Monitoring {
    /** Commits the walk reads at most, record commits or not. */
    public static final int MAX_WALK = 20_000;
    /** Columns whose means are kept at most (the first ones of the header). */
    public static final int MAX_COLUMNS = 64;
    static final String TRAILER = "Mlv-Record";
    /** Longest row whose cells are read (a longer one counts as a row without numbers). */
    static final int MAX_LINE = 1 << 20;

    private final MlvRepository repo;
    private String path;
    private int limit = 200;
    private java.util.Set<String> landmarks = java.util.Set.of();

    public Monitoring(MlvRepository repo) {
        this.repo = repo;
    }

    /** The file to read; default: the file the newest record commit wrote. */
    public Monitoring setPath(String path) {
        this.path = path;
        return this;
    }

    /** Newest record commits of the file to show (default 200). */
    public Monitoring setLimit(int limit) {
        this.limit = Math.max(1, limit);
        return this;
    }

    /**
     * Commits to place among the points (for the web view, the commits promotions and rollbacks
     * made): each one met on the walk comes back as a {@link Mark}.
     */
    public Monitoring setLandmarks(java.util.Set<String> commits) {
        this.landmarks = java.util.Set.copyOf(commits);
        return this;
    }

    /** A landmark commit met on the walk: its time, and how many of the points are older than it. */
    public record Mark(String commit, long time, int pointsBefore) {
    }

    /**
     * One record commit of the file: when, what ({@code append} or {@code put}), the rows it added,
     * the file's size after it, and per numeric column the mean over its rows (absent when none
     * of its rows has a number there).
     */
    public record Point(String commit, long time, String subject, String kind, long rows, long bytes,
                        Map<String, Double> means) {
    }

    /**
     * {@code files}: the paths record wrote in the walked history, newest first; {@code path}: the
     * one read (null when there is none); {@code columns}: its header; {@code numeric}: the columns
     * with a number in some shown row; {@code points}: oldest first; {@code earlier}: whether older
     * rows exist that are not shown; {@code stoppedAt}: the commit that changed the file other than
     * by record, ending the series (null when none did); {@code marks}: the landmarks met, oldest first.
     */
    public record Result(String branch, List<String> files, String path, List<String> columns, List<String> numeric,
                         List<Point> points, boolean earlier, String stoppedAt, List<Mark> marks) {
    }

    private record Change(RevCommit commit, String kind, long start, long bytes) {
    }

    public Result call(String branch) throws MlvException {
        Branches.checkName(branch);
        if (path != null) {
            Cat.split(":" + path); // the same path rules as record: inside the repository
        }
        try (RevWalk walk = new RevWalk(repo.git())) {
            Ref ref = repo.git().exactRef(Branches.refName(branch));
            if (ref == null) {
                throw MlvException.notFound("branch '" + branch + "' not found");
            }
            ObjectReader reader = walk.getObjectReader();
            RevCommit tip = walk.parseCommit(ref.getObjectId());
            LinkedHashSet<String> files = new LinkedHashSet<>();
            String file = path;
            List<Change> changes = new ArrayList<>();
            boolean earlier = false;
            String stoppedAt = null;
            RevCommit c = tip;
            ObjectId blob = null;
            boolean blobKnown = false;
            int n = 0;
            List<Mark> met = new ArrayList<>(); // pointsBefore holds the count of newer points until the end
            for (; c != null && n < MAX_WALK; n++) {
                if (landmarks.contains(c.name())) {
                    met.add(new Mark(c.name(), c.getCommitTime(), changes.size()));
                }
                String[] rec = trailer(c);
                if (rec != null) {
                    files.add(rec[1]);
                    if (file == null) {
                        file = rec[1];
                    }
                }
                if (file == null) {
                    c = firstParent(walk, c);
                    continue;
                }
                if (!blobKnown) {
                    blob = blobAt(reader, c, file);
                    blobKnown = true;
                    if (blob == null) {
                        break; // the file is not at the tip (or at the newest commit that recorded it)
                    }
                }
                RevCommit parent = firstParent(walk, c);
                ObjectId before = parent == null ? null : blobAt(reader, parent, file);
                boolean recordsFile = rec != null && rec[1].equals(file);
                if (recordsFile && changes.size() == limit) {
                    earlier = true;
                    break;
                }
                if (recordsFile && rec[0].equals("append") && before != null) {
                    changes.add(new Change(c, "append", size(reader, before), size(reader, blob)));
                } else if (recordsFile) {
                    changes.add(new Change(c, rec[0], 0, size(reader, blob)));
                    earlier = before != null;
                    break;
                } else if (!Objects.equals(before, blob)) {
                    stoppedAt = c.name();
                    earlier = blob != null;
                    break;
                }
                blob = before;
                c = parent;
            }
            if (n == MAX_WALK && c != null && !changes.isEmpty()) {
                earlier = true; // the walk's bound: older records may exist
            }
            // the landmark before the oldest point (what was serving when it was recorded), if the walk stopped short of it
            for (RevCommit back = c == null || n == MAX_WALK || changes.isEmpty() ? null : firstParent(walk, c);
                 back != null && n < MAX_WALK; back = firstParent(walk, back), n++) {
                if (landmarks.contains(back.name())) {
                    met.add(new Mark(back.name(), back.getCommitTime(), changes.size()));
                    break;
                }
            }
            Collections.reverse(changes);
            List<Mark> marks = new ArrayList<>();
            for (int i = met.size() - 1; i >= 0; i--) {
                Mark m = met.get(i);
                marks.add(new Mark(m.commit(), m.time(), changes.size() - m.pointsBefore()));
            }
            if (file == null || changes.isEmpty()) {
                return new Result(branch, List.copyOf(files), file, List.of(), List.of(), List.of(), earlier, stoppedAt, marks);
            }
            return read(branch, tip, file, List.copyOf(files), changes, earlier, stoppedAt, marks);
        } catch (IOException e) {
            throw new MlvException("cannot read the monitoring history of " + branch + ": " + e.getMessage(), e);
        }
    }

    /** Streams the tip's file from the oldest change's first byte, giving each row to its change. */
    private Result read(String branch, RevCommit tip, String file, List<String> files, List<Change> changes, boolean earlier,
                        String stoppedAt, List<Mark> marks) throws MlvException, IOException {
        RepoFile content = repo.file(tip.name(), file);
        List<String> header;
        try (InputStream in = new BufferedInputStream(content.open(), 8192)) {
            String first = line(in);
            header = first == null ? List.of() : Csv.split(first).stream().map(String::strip).toList();
        }
        int columns = Math.min(header.size(), MAX_COLUMNS);
        long[][] counts = new long[changes.size()][columns];
        double[][] sums = new double[changes.size()][columns];
        long[] rows = new long[changes.size()];
        // where the oldest shown change's rows begin: after the previous version's bytes, or (a put) after the header
        Change oldest = changes.get(0);
        long start = oldest.start() > 0 ? oldest.start() : 0;
        try (InputStream in = from(content, start)) {
            long offset = start;
            if (start == 0) {
                offset += skipLine(in);
            }
            int at = 0;
            while (true) {
                long lineStart = offset;
                ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
                int b;
                boolean tooLong = false;
                while ((b = in.read()) >= 0 && b != '\n') {
                    if (buf.size() < MAX_LINE) {
                        buf.write(b);
                    } else {
                        tooLong = true; // bounded memory: the row counts, its cells are not read
                    }
                    offset++;
                }
                if (b < 0 && buf.size() == 0) {
                    break;
                }
                if (b >= 0) {
                    offset++;
                }
                while (at + 1 < changes.size() && lineStart >= changes.get(at + 1).start()) {
                    at++;
                }
                String text = buf.toString(StandardCharsets.UTF_8);
                if (text.isBlank()) {
                    continue;
                }
                rows[at]++;
                if (tooLong) {
                    continue;
                }
                List<String> cells = Csv.split(text);
                for (int i = 0; i < columns && i < cells.size(); i++) {
                    Double v = Csv.number(cells.get(i));
                    if (v != null) {
                        counts[at][i]++;
                        sums[at][i] += v;
                    }
                }
            }
        }
        List<Point> points = new ArrayList<>();
        LinkedHashSet<String> numeric = new LinkedHashSet<>();
        for (int k = 0; k < changes.size(); k++) {
            Change ch = changes.get(k);
            Map<String, Double> means = new LinkedHashMap<>();
            for (int i = 0; i < columns; i++) {
                if (counts[k][i] > 0) {
                    means.putIfAbsent(header.get(i), sums[k][i] / counts[k][i]);
                }
            }
            numeric.addAll(means.keySet());
            points.add(new Point(ch.commit().name(), ch.commit().getCommitTime(), ch.commit().getShortMessage(), ch.kind(), rows[k],
                    ch.bytes(), Collections.unmodifiableMap(means)));
        }
        List<String> numericInOrder = header.stream().filter(numeric::contains).distinct().toList();
        return new Result(branch, files, file, header, numericInOrder, points, earlier, stoppedAt, marks);
    }

    /** The content from byte {@code start}: a large file by seeking its channel, a Git blob by skipping. */
    private static InputStream from(RepoFile content, long start) throws MlvException, IOException {
        if (content.large() && start > 0) {
            SeekableByteChannel ch = content.openChannel();
            try {
                ch.position(start);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
        }
        InputStream in = new BufferedInputStream(content.open(), 1 << 16);
        try {
            in.skipNBytes(start);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return in;
    }

    /** {@code [kind, path]} of a record commit's trailer, or null. */
    private static String[] trailer(RevCommit c) {
        for (String v : c.getFooterLines(TRAILER)) {
            String s = v.strip();
            int space = s.indexOf(' ');
            if (space > 0) {
                String kind = s.substring(0, space);
                String path = s.substring(space + 1).strip();
                if ((kind.equals("append") || kind.equals("put")) && insideRepository(path)) {
                    return new String[] {kind, path};
                }
            }
        }
        return null;
    }

    /** Whether a trailer's path is one record could have written (a commit's message is anyone's text). */
    private static boolean insideRepository(String path) {
        try {
            Cat.split(":" + path);
            return true;
        } catch (MlvException e) {
            return false;
        }
    }

    private static RevCommit firstParent(RevWalk walk, RevCommit c) throws IOException {
        return c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
    }

    private static ObjectId blobAt(ObjectReader reader, RevCommit commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, path, commit.getTree())) {
            return tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB ? null : tw.getObjectId(0);
        }
    }

    /** The size of the file a blob holds: a pointer's size for a large file. */
    private static long size(ObjectReader reader, ObjectId blob) throws IOException {
        var pointer = dev.mlv.core.internal.Pointers.read(reader, blob);
        return pointer != null ? pointer.size() : reader.getObjectSize(blob, Constants.OBJ_BLOB);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            buf.write(b);
            if (buf.size() > (1 << 20)) {
                throw new IOException("the header line is longer than 1 MiB");
            }
        }
        return b < 0 && buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    private static long skipLine(InputStream in) throws IOException {
        long n = 0;
        int b;
        while ((b = in.read()) >= 0) {
            n++;
            if (b == '\n') {
                break;
            }
        }
        return n;
    }
}
