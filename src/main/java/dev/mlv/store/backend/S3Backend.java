package dev.mlv.store.backend;

import dev.mlv.store.BackendUnreachableException;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.StoreException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A backend on an S3 bucket (AWS S3 or any S3-compatible service: MinIO, Ceph, R2...). A store key
 * is the object name under the configured prefix, so the bucket holds the same tree as a local
 * store. A PUT is atomic on S3 (a reader sees the old object, the new one or none), so objects need
 * no staging; files larger than {@link S3Config#partSize()} go up as a multipart upload streamed
 * from disk. The only class in mlv that talks to the AWS SDK.
 *
 * <p>Credentials come only from the SDK's default provider chain and are never stored or logged.
 * Network and credential failures surface as {@link BackendUnreachableException}; a missing object
 * as {@link ContentNotFoundException}; a missing bucket as {@link BackendUnreachableException}.
 */
public final class S3Backend implements Backend {
    private final S3Config config;
    private final SdkHttpClient http;
    private final DefaultCredentialsProvider credentials;
    private final S3Client s3;
    /** Set once the bucket is known to exist (see {@link #requireBucket}). */
    private volatile boolean bucketSeen;

    public S3Backend(S3Config config) {
        this.config = config;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        this.credentials = DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(region(config))
                .forcePathStyle(config.pathStyle())
                // Plain PUTs with a Content-Length instead of aws-chunked bodies with trailing
                // checksums: some S3-compatible services store the chunk framing as content.
                .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
                // The SDK's default CRC checksums (2.30+) are not understood by every S3-compatible
                // service. mlv does not need them: every object is named by or checked against its
                // SHA-256 when read, and SigV4 signs the payload's hash over plain http.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        } else {
            // On AWS a wrong or defaulted region is corrected by following S3's redirect.
            builder.crossRegionAccessEnabled(true);
        }
        this.s3 = builder.build();
    }

    /** The configured region; else AWS_REGION, aws.region or the profile's; else us-east-1. */
    private static Region region(S3Config config) {
        if (config.region() != null) {
            return Region.of(config.region());
        }
        try {
            // Deliberately not the instance-metadata lookup: off EC2 it waits for a timeout.
            return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                    .getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }

    public S3Config config() {
        return config;
    }

    private String name(String key) {
        return config.objectKey(Backend.checkKey(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return listInfo(prefix).stream().map(ObjectInfo::key).toList();
    }

    @Override
    public List<ObjectInfo> listInfo(String prefix) throws IOException {
        String base = config.prefix().isEmpty() ? "" : config.prefix() + "/";
        List<ObjectInfo> objects = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(base + prefix))
                    .contents()) {
                String key = o.key().substring(base.length());
                // Consoles create "folder/" marker objects; they are not store objects.
                if (!key.isEmpty() && !key.endsWith("/")) {
                    objects.add(new ObjectInfo(key, o.size() == null ? 0 : o.size(), o.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw translate("list '" + prefix + "'", null, e);
        }
        return objects;
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        String name = name(key);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key(name));
            return new ObjectInfo(key, head.contentLength(), head.lastModified());
        } catch (SdkException e) {
            throw translate("stat", key, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        String name = name(key);
        try {
            s3.headObject(b -> b.bucket(config.bucket()).key(name));
            bucketSeen = true;
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                requireBucket();
                return false;
            }
            throw translate("check", key, e);
        } catch (SdkException e) {
            throw translate("check", key, e);
        }
    }

    @Override
    public long size(String key) throws IOException {
        String name = name(key);
        try {
            return s3.headObject(b -> b.bucket(config.bucket()).key(name)).contentLength();
        } catch (SdkException e) {
            throw translate("stat", key, e);
        }
    }

    @Override
    public byte[] read(String key, long offset, int length) throws IOException {
        String name = name(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        if (length == 0) {
            size(key); // same as the local backend: a missing object fails even for no bytes
            return new byte[0];
        }
        byte[] data = new byte[length];
        int got = 0;
        IOException cut = null;
        for (int resume = 0; got < length; resume++) {
            if (resume > 0) {
                // A body cut mid-way (a dropped connection, a restarted server) resumes where it
                // stopped, with a Range request for the rest, instead of failing or starting over.
                if (resume > RESUMES) {
                    throw new BackendUnreachableException("reading '" + key + "' from " + config.location()
                            + " was cut off " + RESUMES + " times (" + got + " of " + length + " bytes at " + offset
                            + "): " + cut.getMessage() + "; check the network and retry", cut);
                }
                pause(resume);
            }
            IOException[] bodyCut = new IOException[1];
            try {
                got += readPart(key, name, offset + got, data, got, length - got, bodyCut);
            } catch (BackendUnreachableException e) {
                if (!e.retryable()) {
                    throw e;
                }
                cut = e;
            }
            if (bodyCut[0] != null) {
                cut = bodyCut[0];
            }
        }
        return data;
    }

    /** Resumptions of one range read after its body was cut. */
    private static final int RESUMES = 5;

    private static void pause(int resume) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(50L << Math.min(resume - 1, 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while resuming a read");
        }
    }

    /**
     * Reads up to {@code want} bytes at {@code from} into {@code dst}; returns how many arrived. When
     * the body is cut, returns what arrived before and puts the failure in {@code cut[0]}.
     * EOFException when the object itself ends before the range does.
     */
    private int readPart(String key, String name, long from, byte[] dst, int off, int want, IOException[] cut)
            throws IOException {
        String range = "bytes=" + from + "-" + (from + want - 1);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(config.bucket()).key(name).range(range));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                throw endsBefore(key, from + want, "requested " + range);
            }
            throw translate("read", key, e);
        } catch (SdkException e) {
            throw translate("read", key, e);
        }
        int n = 0;
        try (in) {
            // A server that ignores Range answers 200 with the whole object; skip to the offset.
            boolean whole = in.response().contentRange() == null;
            Long declared = in.response().contentLength();
            long available = declared == null ? want : whole ? declared - from : declared;
            if (whole) {
                in.skipNBytes(from);
            }
            int expect = (int) Math.max(0, Math.min(want, available));
            while (n < expect) {
                int r = in.read(dst, off + n, expect - n);
                if (r < 0) {
                    cut[0] = new IOException("the connection closed after " + n + " of " + expect + " bytes");
                    return n;
                }
                n += r;
            }
            if (whole) {
                in.abort(); // do not drain the rest of a large object
            }
            if (expect < want) {
                throw endsBefore(key, from + want, "got " + (off + n) + " bytes before its end");
            }
            return n;
        } catch (EOFException e) {
            throw e;
        } catch (IOException e) {
            cut[0] = e;
            return n;
        }
    }

    private EOFException endsBefore(String key, long end, String detail) {
        return new EOFException("object '" + key + "' in " + config.location() + " ends before byte " + end
                + " (" + detail + ")");
    }

    @Override
    public byte[] readAll(String key) throws IOException {
        String name = name(key);
        try {
            return s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(name)).asByteArray();
        } catch (SdkException e) {
            throw translate("read", key, e);
        }
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        String name = name(key);
        try {
            s3.putObject(b -> b.bucket(config.bucket()).key(name), RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw translate("write", key, e);
        }
    }

    @Override
    public void writeFile(String key, Path file) throws IOException {
        String name = name(key);
        try {
            long size = Files.size(file);
            if (size <= config.partSize()) {
                s3.putObject(b -> b.bucket(config.bucket()).key(name), RequestBody.fromFile(file));
            } else {
                new S3MultipartUpload(s3, config.bucket(), name, file, size, partSize(size)).run();
            }
        } catch (SdkException e) {
            throw translate("write", key, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The configured part size, or larger if the file would otherwise need more than 10,000 parts. */
    private long partSize(long size) {
        long minimum = (size + S3Config.MAX_PARTS - 1) / S3Config.MAX_PARTS;
        return Math.max(config.partSize(), minimum);
    }

    @Override
    public void delete(String key) throws IOException {
        String name = name(key);
        try {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(name));
        } catch (SdkException e) {
            throw translate("delete", key, e);
        }
    }

    /**
     * The multipart uploads under this store's prefix that were started and neither completed nor
     * aborted (a writer killed mid-upload), each with the bytes its parts hold.
     */
    @Override
    public List<IncompleteWrite> listIncompleteWrites() throws IOException {
        String base = config.prefix().isEmpty() ? "" : config.prefix() + "/";
        List<IncompleteWrite> found = new ArrayList<>();
        try {
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(config.bucket()).prefix(base))
                    .uploads()) {
                long size = 0;
                for (Part part : s3.listPartsPaginator(b -> b.bucket(config.bucket()).key(u.key())
                        .uploadId(u.uploadId())).parts()) {
                    size += part.size() == null ? 0 : part.size();
                }
                found.add(new IncompleteWrite(u.key().substring(base.length()), u.uploadId(), size, u.initiated()));
            }
        } catch (SdkException e) {
            throw translate("list incomplete uploads", null, e);
        }
        return found;
    }

    @Override
    public void abortIncompleteWrite(IncompleteWrite write) throws IOException {
        String name = config.objectKey(write.key());
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(name).uploadId(write.id()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) { // NoSuchUpload: completed or aborted meanwhile
                throw translate("abort the upload of", write.key(), e);
            }
        } catch (SdkException e) {
            throw translate("abort the upload of", write.key(), e);
        }
    }

    /**
     * Maps an SDK failure to the store's exceptions: absent object or bucket → not found; network,
     * credentials, throttling and server errors → unreachable; anything else → a plain store error.
     * The SDK's messages carry codes and request ids, never credentials.
     */
    private IOException translate(String action, String key, SdkException e) {
        String what = action + (key == null ? "" : " '" + key + "'") + " on " + config.location();
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            InterruptedIOException interrupted = new InterruptedIOException(what + " was interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        if (e instanceof S3Exception s3e) {
            String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
            int status = s3e.statusCode();
            if ("NoSuchBucket".equals(code)) {
                // the remote itself is missing, not an object in it: as unreachable as a wrong host
                return BackendUnreachableException.permanent("bucket '" + config.bucket() + "' does not exist (" + what
                        + "); create it or correct the remote's bucket name", e);
            }
            if (status == 404) {
                return new ContentNotFoundException("object '" + key + "' not found in " + config.location());
            }
            if (status == 401 || status == 403) {
                return BackendUnreachableException.permanent(what + " was refused (" + (code == null ? status : code)
                        + "); check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)"
                        + " and the bucket's permissions", e);
            }
            if (status >= 500 || status == 429) {
                return new BackendUnreachableException(what + " failed after retries: " + e.getMessage()
                        + "; the service is unavailable or throttling, retry later", e);
            }
            return new StoreException(what + " failed: " + e.getMessage(), e);
        }
        if (!credentialsAvailable()) {
            // The SDK's own message lists every provider it tried (about 1.5 KB): one line instead.
            return BackendUnreachableException.permanent("no AWS credentials found for " + config.location()
                    + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (see docs/remotes.md)", e);
        }
        // Client-side: no route, refused connection, timeout, TLS.
        return new BackendUnreachableException(what + " failed: " + e.getMessage()
                + "; check the endpoint, the network and the credentials", e);
    }

    /**
     * A HEAD answer carries no error code, so a 404 cannot tell a missing object from a missing
     * bucket; asked once per backend after the first 404, the bucket's own HEAD can. Without it a
     * missing bucket reads as an empty store (fsck --remote then reported every file damaged).
     */
    private void requireBucket() throws IOException {
        if (bucketSeen) {
            return;
        }
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
            bucketSeen = true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw BackendUnreachableException.permanent("bucket '" + config.bucket() + "' does not exist ("
                        + config.location() + "); create it or correct the remote's bucket name", e);
            }
            throw translate("check bucket", null, e);
        } catch (SdkException e) {
            throw translate("check bucket", null, e);
        }
    }

    /** Whether the default chain finds credentials now; asked only after a client-side failure. */
    private boolean credentialsAvailable() {
        try {
            credentials.resolveCredentials();
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public void close() {
        s3.close();
        http.close();
        credentials.close();
    }

    @Override
    public String toString() {
        return config.location();
    }
}
