package dev.mlv.serve;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's request executor: a fixed pool of workers and a bounded backlog. A request beyond
 * both is not run on the accepting thread (which would stop the server accepting anything) nor
 * queued without bound; it runs on a small overflow pool with {@link #overloaded()} true, so the
 * handler answers it at once with 503 and {@code Retry-After}. When even the overflow pool is
 * full, the executor refuses the task and the JDK's server closes that connection.
 */
final class AdmissionExecutor implements Executor {
    private static final ThreadLocal<Boolean> OVERLOADED = ThreadLocal.withInitial(() -> false);

    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor overflow;
    private final AtomicInteger admitted = new AtomicInteger();
    private final int limit;

    /** {@code threads} workers; up to {@code backlog} more requests wait for one. */
    AdmissionExecutor(int threads, int backlog) {
        this.limit = threads + backlog;
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, backlog)), daemons("mlv-serve-"), new ThreadPoolExecutor.AbortPolicy());
        this.overflow = new ThreadPoolExecutor(1, 2, 10, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64), daemons("mlv-serve-busy-"), new ThreadPoolExecutor.AbortPolicy());
    }

    /** True while the current thread handles a request that found the server full: answer 503. */
    static boolean overloaded() {
        return OVERLOADED.get();
    }

    @Override
    public void execute(Runnable task) {
        if (admitted.incrementAndGet() > limit) {
            admitted.decrementAndGet();
            overflow.execute(() -> {
                OVERLOADED.set(true);
                try {
                    task.run();
                } finally {
                    OVERLOADED.remove();
                }
            });
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } finally {
                    admitted.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            admitted.decrementAndGet();
            throw e;
        }
    }

    void shutdownNow() {
        workers.shutdownNow();
        overflow.shutdownNow();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
