package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries cure passing failures; a failure marked permanent is reported after one attempt. */
class RetryTest {
    @Test
    void aPassingFailureIsRetriedUntilItSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = new Retry(3, 1).call("read x", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new BackendUnreachableException("connection reset");
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new Retry(3, 1).call("read x", () -> {
            calls.incrementAndGet();
            throw BackendUnreachableException.permanent("no AWS credentials found", null);
        })).isInstanceOf(BackendUnreachableException.class).hasMessage("no AWS credentials found");
        assertThat(calls).hasValue(1);
    }

    @Test
    void retriesStopAtTheBudget() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new Retry(2, 1).call("read x", () -> {
            calls.incrementAndGet();
            throw new BackendUnreachableException("timeout");
        })).isInstanceOf(BackendUnreachableException.class);
        assertThat(calls).hasValue(3);
    }
}
