package dev.mlv.core.gitinterop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlv.core.Json;
import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.Session;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.git.MlvGitRepository;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import dev.mlv.store.ProgressListener;
import dev.mlv.store.RemoteLock;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mlv lfs-agent}: git-lfs's custom transfer agent (git-lfs's docs/custom-transfers.md,
 * line-delimited JSON on stdin and stdout), so a plain Git LFS repository keeps {@code filter=lfs}
 * while its objects go to and come from a chunked mlv store remote, deduplicated. The store remote
 * is the one {@code .mlv/config.json} in the work tree names ({@code --store NAME}, else
 * {@code origin}, else the only one), as for mlv's own commands.
 *
 * <p>An upload chunks git-lfs's object file into the local store ({@code .git/mlv/store}) and sends
 * the chunks the store remote lacks; a download fetches the chunks the local store lacks and
 * writes the object to a file under {@code .git/mlv/tmp} that git-lfs moves into its own storage.
 * A failure of one object is answered for that object; the agent goes on with the next.
 */
public final class LfsAgent {
    /** The error code of a failed init (the number git-lfs's spec shows; git-lfs prints the message). */
    static final int INIT_FAILED = 32;
    /** The error code of one failed transfer. */
    static final int TRANSFER_FAILED = 2;
    private static final long PROGRESS_STEP = 8L << 20;

    private final Session session;
    private Path directory;
    private String storeName;
    private InputStream fromLfs;
    private OutputStream toLfs;
    private PrintStream messages;

    private RepoContent content;
    private ContentRemote remote;
    private RemoteLock lock;
    private Path tmp;
    private String operation;

    public LfsAgent(Session session) {
        this.session = session;
    }

    /** The directory git-lfs started the agent in (inside the repository). */
    public LfsAgent setDirectory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** The store remote to use; null picks {@code origin}, else the only one. */
    public LfsAgent setStore(String storeName) {
        this.storeName = storeName;
        return this;
    }

    /** The protocol channel: requests in, answers out (the raw stdout); {@code messages} is stderr. */
    public LfsAgent setChannel(InputStream fromLfs, OutputStream toLfs, PrintStream messages) {
        this.fromLfs = fromLfs;
        this.toLfs = toLfs;
        this.messages = messages;
        return this;
    }

    /** Serves requests until git-lfs says {@code terminate} or closes stdin. */
    public void call() throws MlvException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fromLfs, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode request;
                try {
                    request = Json.readTree(line);
                } catch (IOException e) {
                    throw new MlvException("git-lfs sent a line that is not JSON (" + e.getMessage() + "); 'mlv lfs-agent'"
                            + " is started by git-lfs (lfs.customtransfer.mlv), not at a terminal");
                }
                String event = request.path("event").asText("");
                switch (event) {
                    case "init" -> init(request);
                    case "upload" -> transfer(request, true);
                    case "download" -> transfer(request, false);
                    case "terminate" -> {
                        return;
                    }
                    default -> throw new MlvException("git-lfs sent an unknown event '" + event + "'");
                }
            }
        } catch (IOException e) {
            throw new MlvException("the transfer protocol with git-lfs broke: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    private void init(JsonNode request) throws IOException {
        operation = request.path("operation").asText("");
        try {
            open();
            send(JsonNodeFactory.instance.objectNode());
        } catch (MlvException e) {
            messages.println("mlv: " + e.getMessage());
            send(error(JsonNodeFactory.instance.objectNode(), INIT_FAILED, e.getMessage()));
        }
    }

    /** Opens the local store and the store remote; the errors say what to configure. */
    private void open() throws MlvException {
        if (!operation.equals("upload") && !operation.equals("download")) {
            throw MlvException.usage("git-lfs asked for operation '" + operation + "'; the agent uploads and downloads");
        }
        Path gitDir = GitConfigScope.gitDir(session, directory);
        MlvGitRepository.Location location;
        try {
            location = MlvGitRepository.at(gitDir);
        } catch (IOException | IllegalArgumentException e) {
            throw new MlvException("cannot open the Git repository at " + gitDir + ": " + e.getMessage(), e);
        }
        Path workTree = location.workTree();
        if (workTree == null || !Files.isRegularFile(workTree.resolve(MlvConfig.PATH))) {
            throw MlvException.notFound("no store remote for 'mlv lfs-agent': " + (workTree == null ? gitDir : workTree)
                    + " has no " + MlvConfig.PATH + "; set one with 'mlv store remote set origin URL' and commit "
                    + MlvConfig.PATH + " (docs/git-interop.md, \"git-lfs repositories through mlv's chunk store\")");
        }
        MlvConfig config = MlvConfig.read(workTree);
        StoreRemote target = StoreRemote.pick(config, storeName);
        if (target == null || storeName != null && !storeName.equals(target.name())) {
            throw MlvException.notFound("no store remote " + (storeName == null ? "'origin' (nor a single one)"
                    : "named '" + storeName + "'") + " in " + workTree.resolve(MlvConfig.PATH)
                    + "; set one with 'mlv store remote set NAME URL'");
        }
        if (target.lfs()) {
            throw MlvException.usage("store remote '" + target.name() + "' is a Git LFS server (" + target.url()
                    + "): git-lfs talks to it itself; the agent moves objects to a chunked store remote (a directory or"
                    + " S3) only");
        }
        Path mlvDir = location.commonDir().resolve("mlv");
        content = new RepoContent(mlvDir.resolve("store"), mlvDir.resolve("lock"));
        remote = ContentRemote.open(content, location.commonDir(), workTree, config, target, null, session.env());
        tmp = mlvDir.resolve("tmp");
    }

    private void transfer(JsonNode request, boolean upload) throws IOException {
        String oidText = request.path("oid").asText("");
        long size = request.path("size").asLong(-1);
        ObjectNode complete = JsonNodeFactory.instance.objectNode().put("event", "complete").put("oid", oidText);
        try {
            if (remote == null) {
                throw new MlvException("the agent was not initialised for " + (upload ? "uploads" : "downloads")
                        + " (see the init error above)");
            }
            Oid oid;
            try {
                oid = Oid.fromHex(oidText);
            } catch (IllegalArgumentException e) {
                throw MlvException.usage("git-lfs sent a bad oid '" + oidText + "'");
            }
            Progress progress = new Progress(oidText);
            if (upload) {
                upload(oid, size, Path.of(request.path("path").asText()), progress);
            } else {
                complete.put("path", download(oid, size, progress).toString());
            }
            progress.finish(size);
        } catch (MlvException e) {
            messages.println("mlv: " + (upload ? "upload" : "download") + " of " + oidText + " failed: " + e.getMessage());
            error(complete, TRANSFER_FAILED, e.getMessage());
            complete.remove("path");
        }
        send(complete);
    }

    private void upload(Oid oid, long size, Path file, Progress progress) throws MlvException {
        if (lock == null) {
            lock = remote.lock(RemoteLock.Kind.SHARED, "lfs-agent upload", Duration.ofMinutes(10),
                    "gc --remote is collecting it: push again when it has finished");
        }
        Pointer stored;
        try (InputStream in = new Counting(Files.newInputStream(file), progress)) {
            stored = content.put(in);
        } catch (IOException e) {
            throw new MlvException("cannot store " + file + " in the local store " + content.dir() + ": " + e.getMessage(), e);
        }
        if (!stored.oid().equals(oid) || size >= 0 && stored.size() != size) {
            throw MlvException.integrity("the object file " + file + " hashes to " + stored.oid().hex() + " ("
                    + stored.size() + " bytes), not to its oid (" + size + " bytes); nothing was sent", null);
        }
        remote.upload(List.of(oid), false, ProgressListener.NONE);
    }

    private Path download(Oid oid, long size, Progress progress) throws MlvException {
        remote.download(List.of(oid), ProgressListener.NONE);
        Path out = null;
        try {
            Files.createDirectories(tmp);
            out = Files.createTempFile(tmp, "lfs-agent-", ".tmp");
            try (InputStream in = new Counting(content.open(oid), progress)) {
                Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (size >= 0 && Files.size(out) != size) {
                throw MlvException.integrity(oid.hex() + " has " + Files.size(out) + " bytes in the store, git-lfs"
                        + " expects " + size, null);
            }
            return out;
        } catch (IOException e) {
            deleteQuietly(out);
            throw new MlvException("cannot write " + oid.hex() + " for git-lfs under " + tmp + ": " + e.getMessage(), e);
        } catch (MlvException e) {
            deleteQuietly(out);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temp file left behind is only space; the download's error is what the user needs
        }
    }

    private static ObjectNode error(ObjectNode answer, int code, String message) {
        answer.putObject("error").put("code", code).put("message", message);
        return answer;
    }

    private synchronized void send(JsonNode answer) throws IOException {
        toLfs.write((answer.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        toLfs.flush();
    }

    private void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
        if (remote != null) {
            remote.close();
            remote = null;
        }
        if (content != null) {
            content.close();
            content = null;
        }
    }

    /** git-lfs's progress events for one object, every {@link #PROGRESS_STEP} bytes and at the end. */
    private final class Progress {
        private final String oid;
        private long soFar;
        private long sent;

        Progress(String oid) {
            this.oid = oid;
        }

        void add(long bytes) throws IOException {
            soFar += bytes;
            if (soFar - sent >= PROGRESS_STEP) {
                report();
            }
        }

        void finish(long size) throws IOException {
            soFar = Math.max(soFar, size);
            if (soFar > sent || soFar == 0) {
                report();
            }
        }

        private void report() throws IOException {
            send(JsonNodeFactory.instance.objectNode().put("event", "progress").put("oid", oid)
                    .put("bytesSoFar", soFar).put("bytesSinceLast", soFar - sent));
            sent = soFar;
        }
    }

    /** Reports what is read through it to a {@link Progress}. */
    private static final class Counting extends FilterInputStream {
        private final Progress progress;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                progress.add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                progress.add(n);
            }
            return n;
        }
    }
}
