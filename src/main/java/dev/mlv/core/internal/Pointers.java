package dev.mlv.core.internal;

import dev.mlv.store.Pointer;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/** Recognising pointer blobs in Git objects. */
public final class Pointers {
    private Pointers() {
    }

    /** The pointer a blob holds, or null when the blob is something else. */
    public static Pointer read(ObjectReader reader, ObjectId blob) throws IOException {
        ObjectLoader loader = reader.open(blob);
        long size = loader.getSize();
        if (size == 0 || size >= Pointer.MAX_ENCODED_SIZE) {
            return null;
        }
        return Pointer.tryParse(loader.getBytes());
    }
}
