package dev.mlv.bench;

import dev.mlv.store.backend.S3ProxyFixture;

/**
 * S3Proxy on 127.0.0.1 (in memory, one bucket) for benchmark scripts that drive the {@code mlv}
 * command: prints {@code ENDPOINT BUCKET ACCESS_KEY SECRET_KEY} on one line, then serves until
 * the process is killed. The script passes the key pair to mlv as {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}. Objects live in this JVM's heap (give it about twice the data),
 * or, with a directory as the first argument, in files under it (S3Proxy's slower "filesystem"
 * store, for data that does not fit in a heap).
 */
public final class S3Server {
    private S3Server() {
    }

    public static void main(String[] args) throws Exception {
        S3ProxyFixture s3 = S3ProxyFixture.start(args.length > 0 ? java.nio.file.Path.of(args[0]) : null);
        System.out.println(s3.endpoint() + " " + s3.bucket() + " " + S3ProxyFixture.ACCESS_KEY + " " + S3ProxyFixture.SECRET_KEY);
        System.out.flush();
        Thread.currentThread().join();
    }
}
