package dev.mlv.serve.git;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser.PacketLineOutRefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only Git smart HTTP (protocol v0 and v2, stateless RPC) on top of JGit's
 * {@link UploadPack}, so stock git can clone and fetch from {@code mlv serve}:
 * <pre>
 * GET  info/refs?service=git-upload-pack    the ref advertisement (v0), or the capabilities (v2)
 * POST git-upload-pack                      one negotiation round or the pack (gzip bodies accepted)
 * </pre>
 * Only branches, tags and HEAD are advertised, and only commits reachable from them may be asked
 * for. Pushing is refused: receive-pack's advertisement carries an {@code ERR} line that git shows.
 */
public final class GitSmartHttp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GitSmartHttp.class);
    private static final String UPLOAD_PACK = "git-upload-pack";
    private static final String RECEIVE_PACK = "git-receive-pack";
    private static final String READ_ONLY = "mlv serve is read-only: push to the repository itself (or a Git host) instead";

    private final Repository git;

    private GitSmartHttp(Repository git) {
        this.git = git;
    }

    /** Serves the Git repository whose Git directory is {@code gitDir}. */
    public static GitSmartHttp open(Path gitDir) throws IOException {
        return new GitSmartHttp(new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build());
    }

    /** Whether {@code rest}, the path after {@code /NAME.git/}, is Git's (not Git LFS's). */
    public static boolean handles(String rest) {
        return rest.equals("info/refs") || rest.equals(UPLOAD_PACK) || rest.equals(RECEIVE_PACK);
    }

    /** Answers one request; {@code rest} is the path after {@code /NAME.git/}. */
    public void handle(HttpExchange ex, String rest) throws IOException {
        String method = ex.getRequestMethod();
        if (rest.equals("info/refs")) {
            if (!method.equals("GET")) {
                text(ex, 405, "only GET is supported here");
                return;
            }
            String service = service(ex.getRequestURI().getRawQuery());
            if (UPLOAD_PACK.equals(service)) {
                advertise(ex);
            } else if (RECEIVE_PACK.equals(service)) {
                refusePush(ex);
            } else {
                text(ex, 403, "mlv serve speaks Git's smart HTTP protocol only (git 1.6.6 or later)");
            }
        } else if (rest.equals(UPLOAD_PACK)) {
            if (!method.equals("POST")) {
                text(ex, 405, "only POST is supported here");
                return;
            }
            uploadPack(ex);
        } else {
            text(ex, 403, READ_ONLY);
        }
    }

    private void advertise(HttpExchange ex) throws IOException {
        UploadPack up = newUploadPack(ex);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PacketLineOut pck = new PacketLineOut(buf);
        // with the service name, JGit writes "# service=..." for v0 and leaves it out for v2, as git does
        up.sendAdvertisedRefs(new PacketLineOutRefAdvertiser(pck), UPLOAD_PACK);
        ex.getResponseHeaders().set("Content-Type", "application/x-" + UPLOAD_PACK + "-advertisement");
        noCache(ex);
        ex.sendResponseHeaders(200, buf.size());
        ex.getResponseBody().write(buf.toByteArray());
    }

    private void refusePush(HttpExchange ex) throws IOException {
        // git reads an ERR line in the advertisement as "remote error: ..." and stops
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PacketLineOut pck = new PacketLineOut(buf);
        pck.writeString("# service=" + RECEIVE_PACK + "\n");
        pck.end();
        pck.writeString("ERR " + READ_ONLY);
        pck.end();
        ex.getResponseHeaders().set("Content-Type", "application/x-" + RECEIVE_PACK + "-advertisement");
        noCache(ex);
        ex.sendResponseHeaders(200, buf.size());
        ex.getResponseBody().write(buf.toByteArray());
    }

    private void uploadPack(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.strip().equals("application/x-" + UPLOAD_PACK + "-request")) {
            text(ex, 415, "expected Content-Type: application/x-" + UPLOAD_PACK + "-request");
            return;
        }
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        boolean gzip = encoding != null && (encoding.strip().equalsIgnoreCase("gzip") || encoding.strip().equalsIgnoreCase("x-gzip"));
        if (!gzip && encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            text(ex, 415, "unsupported Content-Encoding: " + encoding.strip());
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/x-" + UPLOAD_PACK + "-result");
        noCache(ex);
        UploadPack up = newUploadPack(ex);
        ResponseBody out = new ResponseBody(ex);
        InputStream body = new SkipByReading(ex.getRequestBody());
        try (InputStream in = gzip ? new GZIPInputStream(body, 64 << 10) : body) {
            up.upload(in, out, null);
            out.finish();
        } catch (IOException e) {
            if (out.committed()) {
                throw e; // the pack is half sent: git sees the connection end and reports it
            }
            log.debug("upload-pack refused a request: {}", e.toString());
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            text(ex, 400, "upload-pack failed: " + e.getMessage());
        }
    }

    /** An upload-pack for one stateless request, speaking v2 when the client asks for it. */
    private UploadPack newUploadPack(HttpExchange ex) {
        UploadPack up = new UploadPack(git);
        up.setBiDirectionalPipe(false);
        up.setRefFilter(GitSmartHttp::servedRefs);
        up.setRequestPolicy(UploadPack.RequestPolicy.REACHABLE_COMMIT);
        String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
        if (protocol != null) {
            up.setExtraParameters(Arrays.asList(protocol.split(":")));
        }
        return up;
    }

    /** Branches, tags and HEAD: not remote-tracking refs, stashes or mlv's private refs. */
    private static Map<String, Ref> servedRefs(Map<String, Ref> refs) {
        Map<String, Ref> served = new LinkedHashMap<>();
        refs.forEach((name, ref) -> {
            if (name.equals(Constants.HEAD) || name.startsWith(Constants.R_HEADS) || name.startsWith(Constants.R_TAGS)) {
                served.put(name, ref);
            }
        });
        return served;
    }

    private static String service(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String param : rawQuery.split("&")) {
            if (param.startsWith("service=")) {
                return param.substring("service=".length());
            }
        }
        return null;
    }

    private static void noCache(HttpExchange ex) {
        ex.getResponseHeaders().set("Cache-Control", "no-cache, max-age=0, must-revalidate");
        ex.getResponseHeaders().set("Pragma", "no-cache");
    }

    private static void text(HttpExchange ex, int status, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        git.close();
    }

    /**
     * A request body whose {@code skip} reads. The JDK server's fixed-length body inherits
     * {@link FilterInputStream#skip}, which skips on the socket itself, past the body's end: JGit
     * skips to the end of a v2 request before answering, and would wait there for bytes the
     * client never sends.
     */
    private static final class SkipByReading extends FilterInputStream {
        SkipByReading(InputStream in) {
            super(in);
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(0, n))];
            long skipped = 0;
            while (skipped < n) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }
    }

    /**
     * The response body, whose status line is sent with the first byte: an upload-pack that fails
     * before writing anything still gets an error status rather than an empty 200.
     */
    private static final class ResponseBody extends OutputStream {
        private final HttpExchange ex;
        private OutputStream out;

        ResponseBody(HttpExchange ex) {
            this.ex = ex;
        }

        boolean committed() {
            return out != null;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                ex.sendResponseHeaders(200, 0); // chunked: the pack's length is not known ahead
                out = new BufferedOutputStream(ex.getResponseBody(), 64 << 10);
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (out != null) {
                out.flush();
            }
        }

        /** Sends what is buffered; a response with no body at all is an empty 200. */
        void finish() throws IOException {
            out().flush();
        }

        @Override
        public void close() {
            // the exchange closes the stream
        }
    }
}
