package dev.mlv.git;

import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A test {@link ContentStore} keeping each file whole in a directory, named by its oid's hex:
 * streamed to a temp file while hashed, then renamed, so memory stays bounded.
 */
final class FilterProcessDirectoryStore implements ContentStore {
    private final Path dir;

    FilterProcessDirectoryStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Pointer put(InputStream content) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path tmp = Files.createTempFile(dir, "put-", ".tmp");
        long size;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha256)) {
            size = content.transferTo(out);
        }
        Oid oid = Oid.of(sha256.digest());
        Files.move(tmp, dir.resolve(oid.hex()), StandardCopyOption.REPLACE_EXISTING);
        return new Pointer(oid, size);
    }

    @Override
    public boolean has(Oid oid) {
        return Files.isRegularFile(dir.resolve(oid.hex()));
    }

    @Override
    public InputStream open(Oid oid) throws IOException {
        if (!has(oid)) {
            throw new ContentNotFoundException("no content for " + oid.hex() + " in " + dir);
        }
        return Files.newInputStream(dir.resolve(oid.hex()));
    }
}
