package dev.mlv.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A full server answers from an overflow thread, never from the thread that accepts connections. */
class AdmissionExecutorTest {
    @Test
    void beyondThreadsAndBacklogTheRequestIsMarkedOverloadedAndRunsElsewhere() throws Exception {
        AdmissionExecutor executor = new AdmissionExecutor(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            executor.execute(() -> { // occupies the only worker
                started.countDown();
                await(release);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicBoolean queuedSawOverload = new AtomicBoolean(true);
            CountDownLatch queuedRan = new CountDownLatch(1);
            executor.execute(() -> { // waits in the backlog
                queuedSawOverload.set(AdmissionExecutor.overloaded());
                queuedRan.countDown();
            });

            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicBoolean sawOverload = new AtomicBoolean();
            CountDownLatch rejected = new CountDownLatch(1);
            executor.execute(() -> { // beyond both: answered at once
                ranOn.set(Thread.currentThread());
                sawOverload.set(AdmissionExecutor.overloaded());
                rejected.countDown();
            });
            assertThat(rejected.await(10, TimeUnit.SECONDS)).as("answered while the worker is still busy").isTrue();
            assertThat(sawOverload).isTrue();
            assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
            assertThat(AdmissionExecutor.overloaded()).isFalse();

            release.countDown();
            assertThat(queuedRan.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(queuedSawOverload).as("a request that waited is served normally").isFalse();

            // capacity comes back once requests finish
            CountDownLatch later = new CountDownLatch(1);
            AtomicBoolean laterOverload = new AtomicBoolean(true);
            executor.execute(() -> {
                laterOverload.set(AdmissionExecutor.overloaded());
                later.countDown();
            });
            assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(laterOverload).isFalse();
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
