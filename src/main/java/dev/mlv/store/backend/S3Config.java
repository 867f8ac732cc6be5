package dev.mlv.store.backend;

import java.net.URI;
import java.util.Objects;

/**
 * Where an {@link S3Backend} keeps its objects. Holds no credentials: they come only from the AWS
 * SDK's default provider chain (system properties, {@code AWS_ACCESS_KEY_ID}/{@code
 * AWS_SECRET_ACCESS_KEY}, {@code ~/.aws} profiles, container and instance roles).
 *
 * @param bucket the bucket; must exist
 * @param prefix key prefix inside the bucket, {@code /}-separated without leading or trailing
 *     {@code /} ({@code ""} for the bucket's root); store key {@code k} becomes object
 *     {@code prefix/k}
 * @param endpoint the service's base URL for S3-compatible services (MinIO, Ceph, R2...), or null
 *     for AWS S3; must not carry user info (credentials never go in a URL)
 * @param region signing region, or null for the SDK's default region chain ({@code AWS_REGION},
 *     profile), falling back to {@code us-east-1}
 * @param pathStyle address buckets as {@code endpoint/bucket/key} instead of
 *     {@code bucket.endpoint/key}; most self-hosted services need it
 * @param partSize objects larger than this are uploaded in parts of this size (multipart upload);
 *     at least 5 MiB, S3's minimum part size
 */
public record S3Config(String bucket, String prefix, URI endpoint, String region, boolean pathStyle, long partSize) {
    public static final long MIN_PART_SIZE = 5L << 20;
    public static final long DEFAULT_PART_SIZE = 64L << 20;
    /** S3 allows at most this many parts in one multipart upload. */
    static final int MAX_PARTS = 10_000;

    public S3Config {
        Objects.requireNonNull(bucket, "bucket");
        // AWS wants 3-63 of [a-z0-9.-]; legacy buckets and other services allow a little more.
        if (!bucket.matches("[A-Za-z0-9][A-Za-z0-9._-]{1,254}")) {
            throw new IllegalArgumentException("bad S3 bucket name '" + bucket
                    + "': use 3-63 lowercase letters, digits, '.' and '-'");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty()) {
            try {
                Backend.checkKey(prefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad S3 key prefix '" + prefix
                        + "': use '/'-separated names of [A-Za-z0-9._-] without a leading or trailing '/'", e);
            }
        }
        if (endpoint != null) {
            if (endpoint.getUserInfo() != null) {
                // Printing the config would print the secret; credentials come from the SDK chain.
                throw new IllegalArgumentException("the S3 endpoint must not contain credentials; set them with "
                        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an AWS profile instead");
            }
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
                    || endpoint.getHost() == null) {
                throw new IllegalArgumentException("bad S3 endpoint '" + endpoint + "': expected http(s)://host[:port]");
            }
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSize);
        }
    }

    /** AWS S3 in a region (null: the SDK's default), virtual-hosted addressing, 64 MiB parts. */
    public static S3Config aws(String bucket, String prefix, String region) {
        return new S3Config(bucket, prefix, null, region, false, DEFAULT_PART_SIZE);
    }

    /** An S3-compatible service at {@code endpoint} with path-style addressing, 64 MiB parts. */
    public static S3Config compatible(URI endpoint, String bucket, String prefix, String region) {
        return new S3Config(bucket, prefix, endpoint, region, true, DEFAULT_PART_SIZE);
    }

    public S3Config withPartSize(long bytes) {
        return new S3Config(bucket, prefix, endpoint, region, pathStyle, bytes);
    }

    /** The object name of a store key. */
    String objectKey(String key) {
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    /** {@code s3://bucket/prefix}, for messages (never contains credentials). */
    String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
                + (endpoint == null ? "" : " at " + endpoint);
    }
}
