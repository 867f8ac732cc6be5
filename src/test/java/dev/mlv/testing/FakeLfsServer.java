package dev.mlv.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Git LFS server in memory for tests of mlv's Batch API client, with faults to order: a
 * required password (Basic auth), a number of 500 answers before it recovers, a refused
 * {@code verify}, and objects it does not have. The endpoint is {@code http://127.0.0.1:PORT/repo.git/info/lfs}.
 */
public final class FakeLfsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** The objects it holds, by oid. */
    public final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    /** Every request as "METHOD path" (with " auth" when it carried an Authorization header). */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** When not null, every request needs Basic auth with this password. */
    public volatile String password;
    /** How many requests still get a 500 before the server answers normally. */
    public final AtomicInteger failures = new AtomicInteger();
    /** Whether {@code verify} answers 422 (the object did not arrive whole). */
    public volatile boolean verifyFails;
    /** Whether downloads send other bytes than the object's (a broken proxy, a corrupt store). */
    public volatile boolean corruptDownloads;

    public FakeLfsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git/info/lfs";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(ex.getRequestMethod() + " " + path + (auth == null ? "" : " auth"));
            byte[] body = ex.getRequestBody().readAllBytes();
            if (password != null && !(auth != null && auth.startsWith("Basic ") && new String(
                    Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).endsWith(":" + password))) {
                ex.getResponseHeaders().add("LFS-Authenticate", "Basic realm=\"fake\"");
                send(ex, 401, "{\"message\":\"credentials needed\"}");
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(ex, 500, "{\"message\":\"internal error\"}");
                return;
            }
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            if (path.equals("/repo.git/info/lfs/objects/batch")) {
                JsonNode req = JSON.readTree(body);
                boolean upload = req.path("operation").asText().equals("upload");
                ObjectNode answer = JSON.createObjectNode().put("transfer", "basic");
                ArrayNode out = answer.putArray("objects");
                for (JsonNode o : req.path("objects")) {
                    String oid = o.path("oid").asText();
                    ObjectNode a = out.addObject().put("oid", oid).put("size", o.path("size").asLong());
                    byte[] have = objects.get(oid);
                    if (upload && have == null) {
                        ObjectNode actions = a.putObject("actions");
                        actions.putObject("upload").put("href", base + "/upload/" + oid);
                        actions.putObject("verify").put("href", base + "/verify");
                    } else if (!upload && have != null) {
                        a.put("size", have.length);
                        a.putObject("actions").putObject("download").put("href", base + "/download/" + oid);
                    } else if (!upload) {
                        a.putObject("error").put("code", 404).put("message", "Object does not exist");
                    }
                }
                send(ex, 200, JSON.writeValueAsString(answer));
            } else if (path.startsWith("/upload/")) {
                String oid = path.substring("/upload/".length());
                if (!oid.equals(sha256(body))) {
                    send(ex, 422, "{\"message\":\"hash mismatch\"}");
                    return;
                }
                objects.put(oid, body);
                send(ex, 200, "");
            } else if (path.equals("/verify")) {
                JsonNode req = JSON.readTree(body);
                send(ex, verifyFails || !objects.containsKey(req.path("oid").asText()) ? 422 : 200,
                        verifyFails ? "{\"message\":\"object size mismatch\"}" : "{}");
            } else if (path.startsWith("/download/")) {
                byte[] have = objects.get(path.substring("/download/".length()));
                if (have != null && corruptDownloads) {
                    have = have.clone();
                    have[have.length / 2] ^= 1;
                }
                ex.sendResponseHeaders(have == null ? 404 : 200, have == null ? -1 : have.length);
                if (have != null) {
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(have);
                    }
                }
            } else {
                send(ex, 404, "{\"message\":\"no such endpoint\"}");
            }
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/vnd.git-lfs+json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
