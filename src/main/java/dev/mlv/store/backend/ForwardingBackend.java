package dev.mlv.store.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A backend that passes every call to another; subclasses override the calls they change (a
 * cache in front of a remote, or in tests a backend that fails or races at one call).
 */
public class ForwardingBackend implements Backend {
    protected final Backend delegate;

    public ForwardingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public List<ObjectInfo> listInfo(String prefix) throws IOException {
        return delegate.listInfo(prefix);
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        return delegate.stat(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return delegate.exists(key);
    }

    @Override
    public long size(String key) throws IOException {
        return delegate.size(key);
    }

    @Override
    public byte[] read(String key, long offset, int length) throws IOException {
        return delegate.read(key, offset, length);
    }

    @Override
    public byte[] readAll(String key) throws IOException {
        return delegate.readAll(key);
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        delegate.write(key, data);
    }

    @Override
    public void writeFile(String key, Path file) throws IOException {
        delegate.writeFile(key, file);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public List<IncompleteWrite> listIncompleteWrites() throws IOException {
        return delegate.listIncompleteWrites();
    }

    @Override
    public void abortIncompleteWrite(IncompleteWrite write) throws IOException {
        delegate.abortIncompleteWrite(write);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
