package dev.mlv.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a remote operation that failed as {@link BackendUnreachableException} (timeouts,
 * refused connections, 5xx after the SDK's own retries), with exponential backoff. Other failures
 * (not found, corrupt content) and those marked not {@linkplain BackendUnreachableException#retryable()
 * retryable} (missing or refused credentials, a missing bucket) are reported at once: repeating
 * them cannot help.
 */
public final class Retry {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);

    public interface Call<T> {
        T run() throws IOException;
    }

    private final int attempts;
    private final long firstBackoffMillis;

    public Retry(int retries, long firstBackoffMillis) {
        this.attempts = retries + 1;
        this.firstBackoffMillis = firstBackoffMillis;
    }

    public <T> T call(String what, Call<T> call) throws IOException {
        long backoff = firstBackoffMillis;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (BackendUnreachableException e) {
                if (attempt >= attempts || !e.retryable()) {
                    throw e;
                }
                log.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", what, attempt, attempts, backoff,
                        e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(what + " was interrupted");
                }
                backoff *= 2;
            }
        }
    }
}
