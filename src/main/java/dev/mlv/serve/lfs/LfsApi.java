package dev.mlv.serve.lfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.Json;
import dev.mlv.core.MlvException;
import dev.mlv.core.serving.LfsObjects;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Git LFS Batch API (git-lfs's docs/api/batch.md, basic transfer) over the chunk store, and
 * the answers the Locks API owes a pushing client. Paths are relative to {@code /NAME.git/info/lfs/}:
 * <pre>
 * POST objects/batch     download (always) and upload (only when the server has a token)
 * PUT  objects/{oid}     a basic-transfer upload, admitted only if it hashes to {oid}
 * POST verify            whether an upload arrived whole
 * POST locks/verify      no locks: {"ours": [], "theirs": []}
 * GET  locks             no locks: {"locks": []}
 * </pre>
 * Download actions point at the server's content endpoint, {@code /v1/objects/{oid}}, which
 * streams from the chunk store and honours Range.
 */
public final class LfsApi {
    private static final Logger log = LoggerFactory.getLogger(LfsApi.class);
    /** The media type of every Batch API request and response. */
    public static final String MEDIA_TYPE = "application/vnd.git-lfs+json";
    /** A batch request is a small JSON document; git-lfs sends 100 objects per request. */
    private static final int MAX_REQUEST_BYTES = 4 << 20;
    private static final int MAX_OBJECTS = 10_000;
    private static final int EXPIRES_IN = 3600;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    private final LfsObjects objects;
    private final boolean uploads;
    private final String fallbackBase;

    /**
     * @param objects      the repository's large-file content
     * @param uploads      whether uploads are accepted (the server requires a token)
     * @param fallbackBase the server's base URL ({@code http://host:port}), used when a request names no Host
     */
    public LfsApi(LfsObjects objects, boolean uploads, String fallbackBase) {
        this.objects = objects;
        this.uploads = uploads;
        this.fallbackBase = fallbackBase;
    }

    /** Answers one request; {@code rest} is the path after {@code info/lfs/}, {@code repoPath} is {@code /NAME.git}. */
    public void handle(HttpExchange ex, String rest, String repoPath) throws IOException {
        String method = ex.getRequestMethod();
        if (rest.equals("objects/batch")) {
            if (method.equals("POST")) {
                batch(ex, repoPath);
            } else {
                message(ex, 405, "only POST is supported here");
            }
        } else if (rest.startsWith("objects/") && rest.indexOf('/', 8) < 0) {
            if (method.equals("PUT")) {
                upload(ex, rest.substring(8));
            } else {
                message(ex, 405, "only PUT (a basic-transfer upload) is supported here; download from /v1/objects/OID");
            }
        } else if (rest.equals("verify") && method.equals("POST")) {
            verify(ex);
        } else if (rest.equals("locks/verify") && method.equals("POST")) {
            // git-lfs asks before every push; no locks exist, so none are ours or theirs
            json(ex, 200, Map.of("ours", List.of(), "theirs", List.of()));
        } else if (rest.equals("locks") && method.equals("GET")) {
            json(ex, 200, Map.of("locks", List.of()));
        } else if (rest.equals("locks") || rest.startsWith("locks/")) {
            message(ex, 501, "mlv serve does not support file locking");
        } else {
            message(ex, 404, "no such Git LFS endpoint; the Batch API is at objects/batch");
        }
    }

    private void batch(HttpExchange ex, String repoPath) throws IOException {
        JsonNode request = readJson(ex);
        if (request == null) {
            return;
        }
        String operation = request.path("operation").asText("");
        if (!operation.equals("download") && !operation.equals("upload")) {
            message(ex, 422, "operation must be \"download\" or \"upload\"");
            return;
        }
        JsonNode transfers = request.get("transfers");
        if (transfers != null && !contains(transfers, "basic")) {
            message(ex, 422, "mlv serve offers the basic transfer only");
            return;
        }
        JsonNode hashAlgo = request.get("hash_algo");
        if (hashAlgo != null && !hashAlgo.asText().equals("sha256")) {
            message(ex, 409, "mlv serve stores sha256 objects only");
            return;
        }
        JsonNode list = request.get("objects");
        if (list == null || !list.isArray()) {
            message(ex, 422, "objects must be an array");
            return;
        }
        if (list.size() > MAX_OBJECTS) {
            message(ex, 413, "at most " + MAX_OBJECTS + " objects per batch");
            return;
        }
        if (operation.equals("upload") && !uploads) {
            message(ex, 403, "mlv serve accepts uploads only when started with --token-file");
            return;
        }
        String base = base(ex);
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        List<Object> answers = new ArrayList<>();
        for (JsonNode o : list) {
            answers.add(answer(o, operation.equals("upload"), base, repoPath, authorization));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("transfer", "basic");
        doc.put("objects", answers);
        doc.put("hash_algo", "sha256");
        json(ex, 200, doc);
    }

    private Map<String, Object> answer(JsonNode o, boolean upload, String base, String repoPath, String authorization) {
        String oid = o.path("oid").asText("");
        JsonNode sizeNode = o.get("size");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("oid", oid);
        if (sizeNode == null || !sizeNode.canConvertToLong() || !sizeNode.isIntegralNumber() || sizeNode.asLong() < 0) {
            a.put("size", sizeNode == null ? null : sizeNode);
            a.put("error", error(422, "size must be a non-negative integer"));
            return a;
        }
        long size = sizeNode.asLong();
        a.put("size", size);
        if (!LfsObjects.validOid(oid)) {
            a.put("error", error(422, "oid must be 64 lowercase hex digits (sha256)"));
            return a;
        }
        long stored;
        try {
            stored = objects.size(oid);
        } catch (MlvException e) {
            log.warn("lfs batch: {}", e.getMessage());
            a.put("error", error(500, "cannot read the object; see the server's log"));
            return a;
        }
        if (stored >= 0 && stored != size) {
            a.put("error", error(422, "the object has " + stored + " bytes, not " + size));
            return a;
        }
        Map<String, Object> header = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        a.put("authenticated", true);
        if (!upload) {
            if (stored < 0) {
                a.put("error", error(404, "Object does not exist"));
                return a;
            }
            a.put("actions", Map.of("download", action(base + "/v1/objects/" + oid, header)));
        } else if (stored < 0) {
            Map<String, Object> actions = new LinkedHashMap<>();
            actions.put("upload", action(base + repoPath + "/info/lfs/objects/" + oid, header));
            actions.put("verify", action(base + repoPath + "/info/lfs/verify", header));
            a.put("actions", actions);
        } // an upload the server already has needs no actions
        return a;
    }

    private void upload(HttpExchange ex, String oid) throws IOException {
        if (!uploads) {
            message(ex, 403, "mlv serve accepts uploads only when started with --token-file");
            return;
        }
        if (!LfsObjects.validOid(oid)) {
            message(ex, 422, "oid must be 64 lowercase hex digits (sha256)");
            return;
        }
        long length = -1;
        String contentLength = ex.getRequestHeaders().getFirst("Content-Length");
        if (contentLength != null) {
            try {
                length = Long.parseLong(contentLength.strip());
            } catch (NumberFormatException e) {
                message(ex, 400, "bad Content-Length");
                return;
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            LfsObjects.Stored stored = objects.put(in, oid, length);
            log.debug("lfs upload sha256:{}: {} bytes, {} new", oid, stored.size(), stored.newBytes());
            ex.sendResponseHeaders(200, -1);
        } catch (MlvException e) {
            if (e.kind() == ErrorKind.INTEGRITY) {
                message(ex, 422, e.getMessage());
            } else {
                log.warn("lfs upload sha256:{}: {}", oid, e.getMessage());
                message(ex, 500, "cannot store the object; see the server's log");
            }
        }
    }

    private void verify(HttpExchange ex) throws IOException {
        JsonNode request = readJson(ex);
        if (request == null) {
            return;
        }
        String oid = request.path("oid").asText("");
        JsonNode size = request.get("size");
        if (!LfsObjects.validOid(oid) || size == null || !size.isIntegralNumber()) {
            message(ex, 422, "expected {\"oid\": SHA256, \"size\": BYTES}");
            return;
        }
        long stored;
        try {
            stored = objects.size(oid);
        } catch (MlvException e) {
            log.warn("lfs verify: {}", e.getMessage());
            message(ex, 500, "cannot read the object; see the server's log");
            return;
        }
        if (stored < 0) {
            message(ex, 404, "Object does not exist");
        } else if (stored != size.asLong()) {
            message(ex, 422, "the object has " + stored + " bytes, not " + size.asLong());
        } else {
            json(ex, 200, Map.of());
        }
    }

    /** The request body as a JSON object, or null after answering 413 or 422. */
    private static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        }
        if (body.length > MAX_REQUEST_BYTES) {
            message(ex, 413, "the request is larger than " + MAX_REQUEST_BYTES + " bytes");
            return null;
        }
        try {
            JsonNode node = Json.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // not JSON: answered below
        }
        message(ex, 422, "the request is not a JSON object");
        return null;
    }

    private static boolean contains(JsonNode array, String value) {
        if (!array.isArray()) {
            return false;
        }
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Where the client reached the server, so hrefs work through whatever address it used. */
    private String base(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        return host != null && HOST.matcher(host).matches() ? "http://" + host : fallbackBase;
    }

    private static Map<String, Object> action(String href, Map<String, Object> header) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("href", href);
        if (!header.isEmpty()) {
            a.put("header", header);
        }
        a.put("expires_in", EXPIRES_IN);
        return a;
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("message", message);
        return e;
    }

    private static void message(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("message", message));
    }

    private static void json(HttpExchange ex, int status, Object doc) throws IOException {
        byte[] body = Json.writeBytes(doc);
        ex.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
