package dev.mlv.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * JUnit tag {@code s3}: a test against an S3-protocol server (S3Proxy, started in the test JVM).
 * {@code ./mvnw -B verify -Pfast} leaves these out; the full run and CI run them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("s3")
public @interface S3 {
}
