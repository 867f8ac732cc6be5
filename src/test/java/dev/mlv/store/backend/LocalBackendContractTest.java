package dev.mlv.store.backend;

import java.io.IOException;

/** {@link BackendContractTest} on the local directory backend. */
class LocalBackendContractTest extends BackendContractTest {
    @Override
    protected Backend openBackend(String name) throws IOException {
        return new LocalBackend(scratch.resolve("stores").resolve(name));
    }
}
