package dev.mlv.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlv.core.Json;
import dev.mlv.store.BackendUnreachableException;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.Oid;
import dev.mlv.store.ProgressListener;
import dev.mlv.store.PutResult;
import dev.mlv.store.Retry;
import dev.mlv.store.StoreException;
import dev.mlv.store.TransferResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Git LFS server as a store remote: whole file versions through the Batch API (git-lfs's
 * docs/api/batch.md) with the basic transfer. Uploads PUT each object the server asks for, then
 * call its {@code verify} action when it offers one; downloads GET each object into a temp file,
 * hashing as they go, and admit it to the local store only when it hashes to its oid. Connection
 * failures and 5xx answers are retried ({@link Retry}); credentials come from git's credential
 * helpers ({@link GitCredentials}) when the server answers 401, and live in memory only.
 */
final class LfsTransfer {
    static final String MEDIA_TYPE = "application/vnd.git-lfs+json";
    /** git-lfs sends at most 100 objects per batch request; servers expect no more. */
    private static final int BATCH = 100;

    private final URI endpoint;
    private final GitCredentials credentials;
    private final Retry retry;
    private final Path tmpDir;
    private final HttpClient http;
    private GitCredentials.Credential credential;
    private boolean approved;

    private final PointerSizes sizes;

    LfsTransfer(URI endpoint, GitCredentials credentials, int retries, Path tmpDir, PointerSizes sizes) {
        this.endpoint = endpoint;
        this.sizes = sizes;
        this.credentials = credentials;
        this.retry = new Retry(retries, 500);
        this.tmpDir = tmpDir;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Sends the versions the server does not have (it says which in its batch answer). */
    TransferResult upload(RepoContent local, Collection<Oid> oids, boolean dryRun, ProgressListener progress)
            throws IOException {
        long start = System.nanoTime();
        long files = 0;
        long skipped = 0;
        long bytes = 0;
        List<Oid> all = List.copyOf(oids);
        Map<Oid, Long> sizeOf = new LinkedHashMap<>();
        for (Oid oid : all) {
            sizeOf.put(oid, local.storedSize(oid));
        }
        progress.totalKnown(sizeOf.values().stream().mapToLong(Long::longValue).sum());
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Oid> group = all.subList(from, Math.min(all.size(), from + BATCH));
            for (JsonNode o : batch("upload", group, sizeOf)) {
                Oid oid = Oid.fromHex(o.path("oid").asText());
                long size = sizeOf.get(oid);
                objectError(o, "upload");
                JsonNode put = o.path("actions").path("upload");
                if (put.isMissingNode()) {
                    skipped++; // the server has it
                    progress.bytesDone(size);
                    continue;
                }
                if (!dryRun) {
                    put(local, oid, size, put);
                    JsonNode verify = o.path("actions").path("verify");
                    if (!verify.isMissingNode()) {
                        verify(oid, size, verify);
                    }
                }
                files++;
                bytes += size;
                progress.bytesDone(size);
            }
        }
        return new TransferResult(files, skipped, 0, 0, bytes, 0, 0, 0, (System.nanoTime() - start) / 1_000_000);
    }

    /** Fetches the versions the local store lacks into it, each checked against its oid first. */
    TransferResult download(RepoContent local, Collection<Oid> oids, ProgressListener progress) throws IOException {
        long start = System.nanoTime();
        long files = 0;
        long skipped = 0;
        long bytes = 0;
        List<Oid> wanted = new ArrayList<>();
        for (Oid oid : new java.util.LinkedHashSet<>(oids)) {
            if (local.has(oid)) {
                skipped++;
            } else {
                wanted.add(oid);
            }
        }
        Map<Oid, Long> known = sizes.of(wanted);
        for (Oid oid : wanted) {
            if (!known.containsKey(oid)) {
                throw new ContentNotFoundException("no commit of this repository has a pointer to sha256:" + oid.hex()
                        + ", so its size, which the LFS server " + endpoint + " needs, is unknown");
            }
        }
        progress.totalKnown(known.values().stream().mapToLong(Long::longValue).sum());
        for (int from = 0; from < wanted.size(); from += BATCH) {
            List<Oid> group = wanted.subList(from, Math.min(wanted.size(), from + BATCH));
            for (JsonNode o : batch("download", group, known)) {
                Oid oid = Oid.fromHex(o.path("oid").asText());
                objectError(o, "download");
                JsonNode get = o.path("actions").path("download");
                if (get.isMissingNode()) {
                    throw new ContentNotFoundException("sha256:" + oid.hex() + " is not on the LFS server " + endpoint
                            + " (its answer offered no download)");
                }
                long size = known.get(oid);
                bytes += get(local, oid, size, get, progress);
                files++;
            }
        }
        return new TransferResult(files, skipped, 0, 0, bytes, 0, 0, 0, (System.nanoTime() - start) / 1_000_000);
    }

    /** One batch request; the answer's objects, one per oid asked for. */
    private List<JsonNode> batch(String operation, List<Oid> group, Map<Oid, Long> sizeOf) throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Oid oid : group) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("oid", oid.hex());
            o.put("size", sizeOf.get(oid));
            objects.add(o);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", operation);
        body.put("transfers", List.of("basic"));
        body.put("objects", objects);
        body.put("hash_algo", "sha256");
        byte[] json = Json.writeBytes(body);
        URI uri = URI.create(endpoint + "/objects/batch");
        HttpResponse<byte[]> r = retry.call("LFS batch request to " + endpoint, () -> send(uri,
                HttpRequest.newBuilder(uri).header("Accept", MEDIA_TYPE).header("Content-Type", MEDIA_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json)), Map.of(), HttpResponse.BodyHandlers.ofByteArray()));
        if (r.statusCode() / 100 != 2) {
            throw failure("the LFS batch request (" + operation + ") to " + endpoint, r.statusCode(), r.body());
        }
        JsonNode answer = Json.readTree(r.body());
        List<JsonNode> out = new ArrayList<>();
        java.util.Set<String> asked = new java.util.HashSet<>();
        group.forEach(oid -> asked.add(oid.hex()));
        for (JsonNode o : answer.path("objects")) {
            if (asked.remove(o.path("oid").asText())) {
                out.add(o);
            }
        }
        if (!asked.isEmpty()) {
            throw new StoreException("the LFS server " + endpoint + " did not answer for sha256:" + asked.iterator().next()
                    + " in its batch response");
        }
        return out;
    }

    /** A per-object error in a batch answer, as an exception saying what it means; nothing when there is none. */
    private void objectError(JsonNode o, String operation) throws IOException {
        JsonNode error = o.path("error");
        if (error.isMissingNode()) {
            return;
        }
        int code = error.path("code").asInt();
        String oid = o.path("oid").asText();
        String message = error.path("message").asText("");
        if (code == 404 || code == 410) {
            throw new ContentNotFoundException("sha256:" + oid + " is not on the LFS server " + endpoint
                    + (message.isEmpty() ? "" : " (" + message + ")") + "; push it from a repository that has it");
        }
        throw new StoreException("the LFS server " + endpoint + " refused the " + operation + " of sha256:" + oid
                + " (" + code + (message.isEmpty() ? "" : ": " + message) + ")");
    }

    private void put(RepoContent local, Oid oid, long size, JsonNode action) throws IOException {
        URI uri = URI.create(action.path("href").asText());
        HttpResponse<byte[]> r = retry.call("LFS upload of sha256:" + oid.hex(), () -> send(uri,
                HttpRequest.newBuilder(uri).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                            try {
                                return local.open(oid);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }), size)), headers(action), HttpResponse.BodyHandlers.ofByteArray()));
        if (r.statusCode() / 100 != 2) {
            throw failure("the upload of sha256:" + oid.hex() + " to " + uri.getHost(), r.statusCode(), r.body());
        }
    }

    private void verify(Oid oid, long size, JsonNode action) throws IOException {
        URI uri = URI.create(action.path("href").asText());
        byte[] json = Json.writeBytes(Map.of("oid", oid.hex(), "size", size));
        HttpResponse<byte[]> r = retry.call("LFS verify of sha256:" + oid.hex(), () -> send(uri,
                HttpRequest.newBuilder(uri).header("Accept", MEDIA_TYPE).header("Content-Type", MEDIA_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json)), headers(action),
                HttpResponse.BodyHandlers.ofByteArray()));
        if (r.statusCode() / 100 != 2) {
            throw new StoreException("the LFS server " + endpoint + " did not verify the upload of sha256:" + oid.hex()
                    + " (" + r.statusCode() + message(r.body()) + "); nothing was pushed to the Git remote: push again");
        }
    }

    /** Downloads one object through a hashed temp file and puts it into the local store; its size. */
    private long get(RepoContent local, Oid oid, long size, JsonNode action, ProgressListener progress) throws IOException {
        URI uri = URI.create(action.path("href").asText());
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, "lfs-", ".tmp");
        try {
            long got = retry.call("LFS download of sha256:" + oid.hex(), () -> {
                HttpResponse<InputStream> r = send(uri, HttpRequest.newBuilder(uri).GET(), headers(action),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    if (r.statusCode() / 100 != 2) {
                        throw failure("the download of sha256:" + oid.hex() + " from " + uri.getHost(), r.statusCode(),
                                in.readNBytes(4096));
                    }
                    MessageDigest sha = sha256();
                    long n;
                    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                        n = in.transferTo(out);
                    } catch (IOException e) {
                        throw new BackendUnreachableException("the download of sha256:" + oid.hex() + " broke off: "
                                + e.getMessage(), e);
                    }
                    String hex = java.util.HexFormat.of().formatHex(sha.digest());
                    if (!hex.equals(oid.hex()) || size >= 0 && n != size) {
                        throw new CorruptContentException("the LFS server " + endpoint + " sent " + n + " bytes for sha256:"
                                + oid.hex() + " that hash to sha256:" + hex + "; nothing of it was kept");
                    }
                    return n;
                }
            });
            try (InputStream in = Files.newInputStream(tmp)) {
                PutResult stored = local.store().put(in);
                if (!stored.pointer().oid().equals(oid)) {
                    throw new CorruptContentException("sha256:" + oid.hex() + " changed on disk while it was stored");
                }
            }
            progress.bytesDone(got);
            return got;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<String, String> headers(JsonNode action) {
        Map<String, String> h = new LinkedHashMap<>();
        action.path("header").fields().forEachRemaining(e -> h.put(e.getKey(), e.getValue().asText()));
        return h;
    }

    /**
     * Sends one request: with the action's headers; with the credential when the target is the
     * LFS endpoint's own server and the action brings no Authorization. On a 401 it asks git's
     * credential helpers once and sends again; a credential refused is rejected there. Connection
     * failures and 5xx answers come out as retryable {@link BackendUnreachableException}s.
     */
    private synchronized <T> HttpResponse<T> send(URI uri, HttpRequest.Builder builder, Map<String, String> headers,
                                                  HttpResponse.BodyHandler<T> handler) throws IOException {
        headers.forEach(builder::header);
        boolean ownServer = sameOrigin(uri) && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Authorization"));
        HttpRequest plain = builder.build();
        HttpResponse<T> r = exchange(ownServer && credential != null ? withAuth(plain) : plain, handler);
        if (r.statusCode() == 401 && ownServer) {
            discard(r);
            if (credential != null) {
                GitCredentials.Credential refused = credential;
                credential = null;
                credentials.reject(endpoint, refused);
                throw BackendUnreachableException.permanent("the LFS server " + endpoint + " refused the credentials"
                        + " git's credential helper gave (401); fix them in your credential helper (they were rejected"
                        + " there) or check your access to the repository", null);
            }
            credential = credentials.fill(endpoint);
            if (credential == null) {
                throw BackendUnreachableException.permanent("the LFS server " + endpoint + " asks for credentials (401)"
                        + " and git's credential helpers have none; configure one (git config credential.helper ...)"
                        + " for " + endpoint.getScheme() + "://" + endpoint.getAuthority(), null);
            }
            r = exchange(withAuth(plain), handler);
            if (r.statusCode() == 401) {
                discard(r);
                GitCredentials.Credential refused = credential;
                credential = null;
                credentials.reject(endpoint, refused);
                throw BackendUnreachableException.permanent("the LFS server " + endpoint + " refused the credentials"
                        + " git's credential helper gave (401); fix them in your credential helper (they were rejected"
                        + " there)", null);
            }
        }
        if (r.statusCode() == 403) {
            discard(r);
            throw BackendUnreachableException.permanent("the LFS server " + endpoint + " refused access (403): the"
                    + " credentials lack the permission for this; check your access to the repository", null);
        }
        if (r.statusCode() / 100 == 5 || r.statusCode() == 429) {
            discard(r);
            throw new BackendUnreachableException("the LFS server " + endpoint + " answered " + r.statusCode());
        }
        if (credential != null && !approved && ownServer && r.statusCode() / 100 == 2) {
            approved = true;
            credentials.approve(endpoint, credential);
        }
        return r;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the request to " + request.uri().getHost() + " was interrupted");
        } catch (IOException e) {
            throw new BackendUnreachableException("cannot reach the LFS server " + endpoint.getScheme() + "://"
                    + endpoint.getAuthority() + ": " + e, e);
        }
    }

    private HttpRequest withAuth(HttpRequest plain) {
        return HttpRequest.newBuilder(plain, (k, v) -> !k.equalsIgnoreCase("Authorization"))
                .header("Authorization", credential.basic()).build();
    }

    private boolean sameOrigin(URI uri) {
        return uri.getScheme().equalsIgnoreCase(endpoint.getScheme()) && uri.getHost().equalsIgnoreCase(endpoint.getHost())
                && port(uri) == port(endpoint);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static void discard(HttpResponse<?> r) throws IOException {
        if (r.body() instanceof InputStream in) {
            in.close();
        }
    }

    private IOException failure(String what, int status, byte[] body) {
        if (status == 404) {
            return new ContentNotFoundException(what + ": not on the LFS server (404" + message(body) + ")");
        }
        return new StoreException(what + " failed (" + status + message(body) + ")");
    }

    /** The server's {@code message} in an LFS error body, if any, as ": message". */
    private static String message(byte[] body) {
        try {
            String m = Json.readTree(body).path("message").asText("");
            return m.isEmpty() ? "" : ": " + (m.length() > 300 ? m.substring(0, 300) : m);
        } catch (IOException | RuntimeException e) {
            return ""; // not JSON: the status says enough
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
