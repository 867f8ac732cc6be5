package dev.mlv.git;

import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/** An in-memory {@link ContentStore} for filter tests, with switches to make it fail. */
final class FilterProcessMemoryStore implements ContentStore {
    final Map<Oid, byte[]> contents = new HashMap<>();
    /** Content a prefetch brings in, as from a store remote. */
    final Map<Oid, byte[]> remote = new HashMap<>();
    int prefetches;
    int puts;
    /** When set, put reads this many bytes and then fails. */
    Long failPutAfter;
    /** When set, streams from open fail after this many bytes. */
    Long failOpenAfter;

    static Oid sha256(byte[] data) {
        try {
            return Oid.of(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Pointer pointerOf(byte[] data) {
        return new Pointer(sha256(data), data.length);
    }

    /** Content only the "store remote" has: a prefetch brings it in. */
    Pointer addRemote(byte[] data) {
        Oid oid = sha256(data);
        remote.put(oid, data.clone());
        return new Pointer(oid, data.length);
    }

    @Override
    public void prefetch(java.util.Collection<Oid> oids) {
        prefetches++;
        for (Oid oid : oids) {
            byte[] data = remote.get(oid);
            if (data != null) {
                contents.put(oid, data);
            }
        }
    }

    /** Puts content directly, as if an earlier clean had stored it. */
    Pointer add(byte[] data) {
        Oid oid = sha256(data);
        contents.put(oid, data.clone());
        return new Pointer(oid, data.length);
    }

    @Override
    public Pointer put(InputStream content) throws IOException {
        puts++;
        if (failPutAfter != null) {
            content.readNBytes(Math.toIntExact(failPutAfter));
            throw new IOException("disk full (test)");
        }
        byte[] data = content.readAllBytes();
        return add(data);
    }

    @Override
    public boolean has(Oid oid) {
        return contents.containsKey(oid);
    }

    @Override
    public InputStream open(Oid oid) throws IOException {
        byte[] data = contents.get(oid);
        if (data == null) {
            throw new ContentNotFoundException("no content for " + oid);
        }
        InputStream in = new ByteArrayInputStream(data);
        if (failOpenAfter == null) {
            return in;
        }
        long limit = failOpenAfter;
        return new FilterInputStream(in) {
            private long served;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served >= limit) {
                    throw new IOException("chunk 1234 is corrupt (test)");
                }
                int n = super.read(b, off, (int) Math.min(len, limit - served));
                if (n > 0) {
                    served += n;
                }
                return n;
            }
        };
    }
}
