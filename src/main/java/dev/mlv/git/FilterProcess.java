package dev.mlv.git;

import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import dev.mlv.store.PointerFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of Git's long-running filter process protocol (gitattributes(5), "Long Running
 * Filter Process"), which plain {@code git} uses to clean and smudge mlv's large files through
 * {@code mlv filter-process}. Content streams through in bounded memory in both directions.
 *
 * <p>{@code toGit} is the protocol channel: nothing else may write to it (nor to the process's
 * stdout when that is the channel). Messages for the user go to {@code err}. A failure to store or
 * restore one file answers {@code status=error} for that file and the process goes on; a breach
 * of the protocol throws {@link PktLineException}.
 */
public final class FilterProcess {
    private static final Logger LOG = LoggerFactory.getLogger(FilterProcess.class);

    private static final String CLIENT_WELCOME = "git-filter-client";
    private static final String SERVER_WELCOME = "git-filter-server";
    private static final String VERSION = "version=2";
    private static final List<String> CAPABILITIES = List.of("capability=clean", "capability=smudge", "capability=delay");
    private static final String DELAY = "capability=delay";
    private static final int DEFAULT_SPOOL_MEMORY = 1 << 20;

    private final ContentStore store;
    private final PktLineReader reader;
    private final PktLineWriter writer;
    private final PrintStream err;
    private final int spoolMemory;
    private final byte[] buffer = new byte[PktLineReader.MAX_DATA];
    private Path spoolDir;
    /** Whether git and mlv agreed on the delay capability. */
    private boolean delay;
    /** Smudges answered "delayed", by path, not yet announced as available. */
    private final Map<String, Pointer> pending = new java.util.LinkedHashMap<>();
    /** Announced as available: git asks for each again. */
    private final Map<String, Pointer> ready = new HashMap<>();

    /** A filter process speaking to Git over {@code fromGit} and {@code toGit}. */
    public FilterProcess(ContentStore store, InputStream fromGit, OutputStream toGit, PrintStream err) {
        this(store, fromGit, toGit, err, DEFAULT_SPOOL_MEMORY);
    }

    FilterProcess(ContentStore store, InputStream fromGit, OutputStream toGit, PrintStream err, int spoolMemory) {
        this.store = store;
        this.reader = new PktLineReader(new BufferedInputStream(fromGit, 1 << 16));
        this.writer = new PktLineWriter(new BufferedOutputStream(toGit, 1 << 16));
        this.err = err;
        this.spoolMemory = spoolMemory;
    }

    /**
     * Where a large blob that is not a pointer is held while Git finishes sending it during a
     * smudge (default: the JVM's temp directory). {@code .git/mlv/tmp} is the right place.
     */
    public FilterProcess spoolDirectory(Path dir) {
        this.spoolDir = dir;
        return this;
    }

    /** Runs the handshake, then answers requests until Git closes the channel. */
    public void run() throws IOException {
        handshake();
        for (Map<String, String> request = readRequest(); request != null; request = readRequest()) {
            String command = request.get("command");
            String path = request.getOrDefault("pathname", "<unnamed path>");
            if ("clean".equals(command)) {
                clean(path);
            } else if ("smudge".equals(command)) {
                smudge(path, delay && "1".equals(request.get("can-delay")));
            } else if ("list_available_blobs".equals(command) && delay) {
                listAvailable();
            } else {
                throw new PktLineException("git sent command '" + command + "', which mlv did not offer; "
                        + "only clean, smudge and (with delay) list_available_blobs are supported");
            }
            writer.flush();
        }
    }

    private void handshake() throws IOException {
        String welcome = reader.readText("the filter handshake");
        if (!CLIENT_WELCOME.equals(welcome)) {
            throw new PktLineException("expected '" + CLIENT_WELCOME + "' to open the filter handshake, got "
                    + (welcome == null ? "a flush packet" : "'" + welcome + "'")
                    + "; 'mlv filter-process' is meant to be started by git (filter.mlv.process)");
        }
        List<String> versions = reader.readTextList("the filter protocol versions");
        if (!versions.contains(VERSION)) {
            throw new PktLineException("git offers filter protocol " + versions + " but mlv speaks only " + VERSION);
        }
        writer.writeTextList(List.of(SERVER_WELCOME, VERSION));
        writer.flush();
        List<String> offered = reader.readTextList("the filter capabilities");
        List<String> accepted = new ArrayList<>();
        for (String capability : CAPABILITIES) {
            if (offered.contains(capability)) {
                accepted.add(capability);
            }
        }
        writer.writeTextList(accepted);
        writer.flush();
        delay = accepted.contains(DELAY);
        LOG.debug("filter handshake done; git offered {}, mlv accepted {}", offered, accepted);
    }

    /** The next request's key=value list, or null when Git has closed the channel. */
    private Map<String, String> readRequest() throws IOException {
        PktLineReader.Kind first = reader.next();
        if (first == PktLineReader.Kind.END) {
            return null;
        }
        if (first == PktLineReader.Kind.FLUSH) {
            throw new PktLineException("git sent an empty request (a flush packet where a command was expected)");
        }
        List<String> lines = new ArrayList<>();
        lines.add(reader.text());
        lines.addAll(reader.readTextList("a filter request"));
        Map<String, String> request = new HashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new PktLineException("malformed request line '" + line + "'; expected key=value");
            }
            // Keys never contain '=', values may: split at the first one. Unknown keys
            // (ref, treeish, blob, can-delay ...) are kept and ignored.
            request.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (!request.containsKey("command")) {
            throw new PktLineException("filter request " + lines + " has no command");
        }
        return request;
    }

    /**
     * Clean, by {@link CleanRule}: content from Git goes into the store while it is read and the
     * pointer goes back; a pointer or an empty file goes back as it came.
     */
    private void clean(String path) throws IOException {
        PktLineInputStream content = reader.contentStream();
        CleanRule.Cleaned cleaned;
        try {
            cleaned = CleanRule.clean(content, store);
        } catch (IOException | RuntimeException e) {
            rethrowProtocolFailure(content);
            content.drain();
            err.println("mlv: could not store '" + path + "': " + e.getMessage()
                    + "; fix that and run the git command again");
            LOG.debug("clean of {} failed", path, e);
            respondError();
            return;
        }
        rethrowProtocolFailure(content);
        long read = content.delivered();
        if (!content.finished() || (cleaned.stored() && cleaned.pointer().size() != read)) {
            content.drain();
            err.println("mlv: could not store '" + path + "': the store read " + read + " bytes but recorded "
                    + (cleaned.stored() ? cleaned.pointer().size() : cleaned.blob().length)
                    + "; this is a bug in mlv's store");
            respondError();
            return;
        }
        if (!cleaned.stored() && cleaned.blob().length > 0) {
            LOG.debug("'{}' is already a pointer; passing it through", path);
        }
        respond(cleaned.blob());
    }

    /**
     * git's delay capability: a smudge whose content is not local is answered "delayed", and the
     * whole checkout's missing content is fetched in one batch when git asks which blobs are
     * available; git then asks for each again, with empty content.
     */
    private void listAvailable() throws IOException {
        if (!pending.isEmpty()) {
            List<Oid> oids = new ArrayList<>();
            pending.values().forEach(p -> oids.add(p.oid()));
            try {
                store.prefetch(oids);
            } catch (IOException | RuntimeException e) {
                // each file's own smudge reports what is still missing, and why
                LOG.debug("fetching {} delayed file(s) failed", oids.size(), e);
                err.println("mlv: could not fetch " + oids.size() + " large file(s) from the store remote: " + e.getMessage());
            }
        }
        List<String> names = new ArrayList<>();
        pending.keySet().forEach(p -> names.add("pathname=" + p));
        ready.putAll(pending);
        pending.clear();
        writer.writeTextList(names);
        writer.writeTextList(List.of("status=success"));
    }

    /** Smudge: a pointer from Git, the stored content back; anything else passes through. */
    private void smudge(String path, boolean canDelay) throws IOException {
        PktLineInputStream content = reader.contentStream();
        byte[] head = content.readNBytes(Pointer.MAX_ENCODED_SIZE);
        Pointer pointer = null;
        if (head.length == 0 && content.finished() && ready.containsKey(path)) {
            pointer = ready.remove(path); // git's second request for a delayed file, with empty content
        } else if (content.finished() && head.length > 0 && Pointer.looksLikePointer(head)) {
            try {
                pointer = Pointer.parse(head);
            } catch (PointerFormatException e) {
                LOG.warn("'{}' holds a malformed pointer ({}); checking it out as it is", path, e.getMessage());
            }
        }
        if (pointer == null) {
            passThrough(path, head, content);
            return;
        }
        if (canDelay && !store.has(pointer.oid())) {
            pending.put(path, pointer);
            writer.writeTextList(List.of("status=delayed"));
            return;
        }
        InputStream source;
        try {
            source = store.open(pointer); // a repository's store fetches what it lacks from its store remote
        } catch (ContentNotFoundException e) {
            source = null;
        } catch (IOException | RuntimeException e) {
            restoreFailed(path, pointer, e);
            respondError();
            return;
        }
        if (source == null) {
            err.println("mlv: cannot check out '" + path + "': its content (oid sha256:" + pointer.oid().hex()
                    + ", " + pointer.size() + " bytes) is not in the local store nor in a store remote it could reach;"
                    + " run 'mlv pull' (or check the store remote in .mlv/config.json),"
                    + " then 'git checkout -- " + path + "'");
            respondError();
            return;
        }
        try {
            sendStored(path, pointer, source);
        } finally {
            closeQuietly(source);
        }
    }

    /**
     * Streams stored content to Git. The first packet is read before the status is sent, so a
     * store that fails at once yields a plain error; a later failure ends the content early and
     * changes the status to error, as the protocol allows.
     */
    private void sendStored(String path, Pointer pointer, InputStream in) throws IOException {
        int n;
        try {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException | RuntimeException e) {
            restoreFailed(path, pointer, e);
            respondError();
            return;
        }
        writer.writeTextList(List.of("status=success"));
        Exception failure = null;
        while (n > 0) {
            writer.writePacket(buffer, 0, n);
            try {
                n = in.readNBytes(buffer, 0, buffer.length);
            } catch (IOException | RuntimeException e) {
                failure = e;
                break;
            }
        }
        writer.writeFlush();
        if (failure == null) {
            writer.writeFlush();
        } else {
            restoreFailed(path, pointer, failure);
            writer.writeTextList(List.of("status=error"));
        }
    }

    /** A store stream that fails to close has already delivered or failed; only the channel matters. */
    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a store stream failed", e);
        }
    }

    private void restoreFailed(String path, Pointer pointer, Exception e) {
        err.println("mlv: cannot check out '" + path + "' (oid sha256:" + pointer.oid().hex() + "): "
                + e.getMessage() + "; check the store with 'mlv fsck'");
        LOG.debug("smudge of {} failed", path, e);
    }

    /**
     * A blob that is not a pointer (committed raw, or by another tool) is checked out as it is.
     * Git must have sent all of it before the answer starts, so a large one is spooled.
     */
    private void passThrough(String path, byte[] head, PktLineInputStream content) throws IOException {
        if (head.length > 0) {
            LOG.debug("'{}' is not a pointer; checking out its bytes as they are", path);
        }
        if (content.finished()) {
            respond(head);
            return;
        }
        try (FilterProcessSpool spool = new FilterProcessSpool(spoolDir, spoolMemory)) {
            try {
                spool.write(head, 0, head.length);
                spool.writeAll(content);
            } catch (IOException e) {
                rethrowProtocolFailure(content);
                content.drain();
                err.println("mlv: cannot check out '" + path + "': holding its " + "content failed: " + e.getMessage()
                        + "; free space in the temp directory and run the git command again");
                respondError();
                return;
            }
            writer.writeTextList(List.of("status=success"));
            try {
                spool.sendTo(writer);
            } catch (FilterProcessSpool.ReadException e) {
                writer.writeFlush();
                err.println("mlv: cannot check out '" + path + "': " + e.getMessage());
                writer.writeTextList(List.of("status=error"));
                return;
            }
            writer.writeFlush();
            writer.writeFlush();
        }
    }

    /** status=success, the content, a flush, and an empty list keeping the status. */
    private void respond(byte[] data) throws IOException {
        writer.writeTextList(List.of("status=success"));
        writer.writeContent(data, 0, data.length);
        writer.writeFlush();
        writer.writeFlush();
    }

    private void respondError() throws IOException {
        writer.writeTextList(List.of("status=error"));
    }

    private static void rethrowProtocolFailure(PktLineInputStream content) throws IOException {
        if (content.failure() != null) {
            throw content.failure();
        }
    }
}
