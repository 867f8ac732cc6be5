package dev.mlv.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * JUnit tag {@code slow}: a test that takes seconds, starts other processes (JVMs, git) or kills
 * them, or races threads. {@code ./mvnw -B verify -Pfast} leaves these out; the full run and CI
 * run them. The other tags are {@link S3}, and {@code browser} and {@code fuse} for tests that
 * drive a browser or mount a file system (docs/index.md).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {
}
