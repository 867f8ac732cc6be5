package dev.mlv.store.backend;

import dev.mlv.store.BackendUnreachableException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a remote store lives, as configured: a directory ({@code file:///path} or a plain path,
 * relative paths against a base directory) or an S3 bucket and prefix ({@code s3://bucket/prefix})
 * with an optional endpoint, region and path-style addressing for S3-compatible services, or a Git
 * LFS server's endpoint ({@code https://host/repo.git/info/lfs}, also {@code http://}), which is no
 * backend: the repository layer speaks its Batch API. Holds no credentials; S3 credentials come only
 * from the AWS SDK's default chain, an LFS server's from git's credential helpers.
 */
public record RemoteLocation(String url, String endpoint, String region, boolean pathStyle) {
    public RemoteLocation {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a remote store needs a URL: file:///path, a path, or s3://bucket/prefix");
        }
        String scheme = scheme(url);
        if (scheme != null && !scheme.equals("s3") && !scheme.equals("file") && !isLfs(url)) {
            throw new IllegalArgumentException("'" + scheme + "://' store URLs are not supported: use s3://bucket/prefix"
                    + " (with --endpoint for an S3-compatible service), file:///path, a directory path, or a Git LFS"
                    + " server's https://HOST/REPO.git/info/lfs (or 'lfs' for the Git remote's)");
        }
        if (isLfs(url)) {
            checkLfs(url);
        }
        if (scheme != null && (url.contains("?") || url.contains("#"))) {
            throw new IllegalArgumentException("the store URL must not have a query string or fragment (it would be"
                    + " committed in .mlv/config.json, and queries carry secrets such as signatures); give the bare "
                    + scheme + ":// URL and set credentials through the environment");
        }
        if (url.contains("@") && "s3".equals(scheme)) {
            throw new IllegalArgumentException("the store URL must not contain credentials; set them with "
                    + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an AWS profile instead");
        }
        if (endpoint != null && (endpoint.contains("@") || endpoint.contains("?") || endpoint.contains("#"))) {
            throw new IllegalArgumentException("the endpoint must be a bare http(s)://host[:port] URL, without"
                    + " credentials or a query string; set credentials through the environment");
        }
        if (!isS3(url) && (endpoint != null || region != null || pathStyle)) {
            throw new IllegalArgumentException("--endpoint, --region and --path-style apply to s3:// stores only");
        }
        if (isS3(url)) {
            s3Config(url, endpoint, region, pathStyle); // validates bucket, prefix and endpoint
        }
    }

    public boolean s3() {
        return isS3(url);
    }

    /** The URL's scheme when it has the form {@code scheme://...} or {@code file:...}, else null (a path). */
    private static String scheme(String url) {
        if (url.startsWith("file:")) {
            return "file";
        }
        int sep = url.indexOf("://");
        if (sep <= 0 || !url.substring(0, sep).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return null;
        }
        return url.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isS3(String url) {
        return url.startsWith("s3://");
    }

    /** Whether this is a Git LFS server's endpoint (an http or https URL). */
    public boolean lfs() {
        return isLfs(url);
    }

    private static boolean isLfs(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /** An LFS endpoint must parse, name a host and carry no credentials (it is committed). */
    private static void checkLfs(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad LFS URL '" + url + "': " + e.getReason());
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the LFS URL must not contain credentials (it is committed in"
                    + " .mlv/config.json); give it without 'user:password@' and let git's credential helper supply them");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("bad LFS URL '" + url + "': it names no host");
        }
        if (url.endsWith("/")) {
            throw new IllegalArgumentException("bad LFS URL '" + url + "': give it without the trailing '/'"
                    + " (https://HOST/REPO.git/info/lfs)");
        }
    }

    /** Opens a backend on this location; directory paths resolve against {@code base}. */
    public Backend open(Path base) throws IOException {
        if (lfs()) {
            throw new IllegalStateException("a Git LFS server is not a chunk store backend: " + url);
        }
        if (s3()) {
            return new S3Backend(s3Config(url, endpoint, region, pathStyle));
        }
        Path dir = directory(base);
        if (!Files.isDirectory(dir)) {
            throw new BackendUnreachableException("the store directory " + dir + " does not exist or is not mounted;"
                    + " create it (mkdir -p " + dir + ") or correct the remote's URL with 'mlv store remote set'");
        }
        return new LocalBackend(dir);
    }

    /** Whether this is a directory given as a relative path (resolved against a base directory). */
    public boolean relativeDirectory() {
        return !lfs() && !s3() && !url.startsWith("file:") && !Path.of(url).isAbsolute();
    }

    /** The directory of a {@code file:} or path location. */
    public Path directory(Path base) {
        if (url.startsWith("file:")) {
            try {
                return Path.of(new URI(url)).toAbsolutePath().normalize();
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException("bad file URL '" + url + "': use file:///absolute/path", e);
            }
        }
        return base.resolve(url).toAbsolutePath().normalize();
    }

    private static S3Config s3Config(String url, String endpoint, String region, boolean pathStyle) {
        String rest = url.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        URI ep = endpoint == null ? null : URI.create(endpoint);
        return new S3Config(bucket, prefix, ep, region, pathStyle, S3Config.DEFAULT_PART_SIZE);
    }
}
