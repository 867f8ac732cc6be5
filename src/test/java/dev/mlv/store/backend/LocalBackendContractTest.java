package dev.mlv.store.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link BackendContractTest} on the local directory backend. */
class LocalBackendContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend(String name) throws IOException {
        return new LocalBackend(scratch.resolve("stores").resolve(name));
    }

    /** A temp file in the store's {@code tmp/}, named as {@link LocalBackend#newTempFile} names them. */
    @Override
    protected void leaveIncompleteWrite(String name, String key, byte[] data) throws IOException {
        Path tmp = scratch.resolve("stores").resolve(name).resolve(LocalBackend.TMP_DIR);
        Files.write(tmp.resolve(key.substring(key.lastIndexOf('/') + 1) + ".3b1f0c7e.tmp"), data);
    }
}
