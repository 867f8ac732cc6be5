package dev.mlv.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * JUnit tag {@code fuse}: a test that mounts a FUSE file system for real; it calls
 * {@link FuseSupport#assumeAvailable()} first.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("fuse")
public @interface Fuse {
}
