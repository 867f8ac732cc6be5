package dev.mlv.mount;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.RepoFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;

/**
 * The FUSE callbacks: answers from the current {@link MountTree}, and reads through a channel
 * per open file, so a file keeps the content it was opened with when the tree is swapped.
 * Read-only: every open for writing fails with EROFS.
 */
final class MlvFileSystem extends FuseStubFS {
    private static final Logger log = LoggerFactory.getLogger(MlvFileSystem.class);
    /** Offered to readers as the preferred I/O size: large reads cost fewer round trips. */
    private static final int BLOCK_SIZE = 128 << 10;
    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;

    private final Supplier<MountTree> tree;
    private final boolean perHandleReads;
    private final long uid;
    private final long gid;
    private final Map<Long, OpenFile> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    final CountDownLatch initialized = new CountDownLatch(1);
    final CountDownLatch destroyed = new CountDownLatch(1);

    /**
     * @param perHandleReads bypass the kernel's page cache (FUSE direct_io), so two opens of one
     *     path that hold different versions never share cached pages; needed while following a branch
     */
    MlvFileSystem(Supplier<MountTree> tree, boolean perHandleReads, long uid, long gid) {
        this.tree = tree;
        this.perHandleReads = perHandleReads;
        this.uid = uid;
        this.gid = gid;
    }

    /**
     * Mounts at {@code dir} and returns once the kernel has started the file system (its
     * {@link #init}). libfuse's loop runs on a thread of its own until unmounted: jnr-fuse's
     * non-blocking mount would wait 2 s for a failure before returning.
     *
     * @throws MlvException when libfuse fails (no /dev/fuse, no libfuse 2) or the kernel does not
     *     start the file system within {@code wait}
     */
    void start(Path dir, String[] options, Duration wait) throws MlvException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        Thread loop = new Thread(() -> {
            try {
                mount(dir, true, false, options);
            } catch (RuntimeException | LinkageError e) { // FuseException, or no libfuse: reported below
                failed.set(e);
            } finally {
                ended.countDown();
            }
        }, "mlv-fuse");
        loop.setDaemon(true);
        loop.start();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!initialized.await(20, TimeUnit.MILLISECONDS)) {
                if (ended.getCount() == 0) {
                    Throwable e = failed.get();
                    throw new MlvException("cannot mount " + dir + ": " + (e == null ? "libfuse ended" : e.getMessage())
                            + "; FUSE needs /dev/fuse and libfuse 2 (Debian: apt-get install fuse3 libfuse2), see docs/mount.md", e);
                }
                if (System.nanoTime() > deadline) {
                    umount();
                    throw new MlvException("cannot mount " + dir + ": the kernel did not start the file system within "
                            + wait.toSeconds() + " s; is /dev/fuse usable here? (see docs/mount.md)");
                }
            }
        } catch (InterruptedException e) {
            umount();
            Thread.currentThread().interrupt();
            throw new MlvException("interrupted while mounting " + dir);
        }
    }

    /** Files open now. */
    int openFiles() {
        return open.size();
    }

    @Override
    public Pointer init(Pointer conn) {
        initialized.countDown();
        return null;
    }

    @Override
    public void destroy(Pointer initResult) {
        destroyed.countDown();
    }

    @Override
    public int getattr(String path, FileStat stat) {
        MountTree t = tree.get();
        MountTree.Node node = t.get(path);
        if (node == null) {
            return -ErrorCodes.ENOENT();
        }
        fill(stat, node, t.mtimeSeconds());
        return 0;
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        OpenFile f = open.get(fi.fh.get());
        if (f == null) {
            return getattr(path, stat);
        }
        fill(stat, f.node, f.mtimeSeconds);
        return 0;
    }

    private void fill(FileStat stat, MountTree.Node node, long mtime) {
        stat.st_uid.set(uid);
        stat.st_gid.set(gid);
        stat.st_mtim.tv_sec.set(mtime);
        stat.st_ctim.tv_sec.set(mtime);
        stat.st_atim.tv_sec.set(mtime);
        stat.st_blksize.set(BLOCK_SIZE);
        if (node instanceof MountTree.Dir d) {
            stat.st_mode.set(FileStat.S_IFDIR | 0555);
            stat.st_nlink.set(2);
            stat.st_size.set(4096);
        } else if (node instanceof MountTree.File f) {
            stat.st_mode.set(FileStat.S_IFREG | (f.executable() ? 0555 : 0444));
            stat.st_nlink.set(1);
            stat.st_size.set(f.file().size());
            stat.st_blocks.set((f.file().size() + 511) / 512);
        } else if (node instanceof MountTree.Link l) {
            stat.st_mode.set(FileStat.S_IFLNK | 0777);
            stat.st_nlink.set(1);
            stat.st_size.set(l.target().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        if (!(tree.get().get(path) instanceof MountTree.Link link)) {
            return tree.get().get(path) == null ? -ErrorCodes.ENOENT() : -ErrorCodes.EINVAL();
        }
        byte[] target = link.target().getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(target.length, size - 1);
        buf.put(0, target, 0, n);
        buf.putByte(n, (byte) 0);
        return 0;
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        MountTree.Node node = tree.get().get(path);
        if (!(node instanceof MountTree.Dir dir)) {
            return node == null ? -ErrorCodes.ENOENT() : -ErrorCodes.ENOTDIR();
        }
        name(filler, buf, ".");
        name(filler, buf, "..");
        for (String name : dir.names()) {
            if (name(filler, buf, name) != 0) {
                break; // the kernel's buffer is full; with offset 0 throughout, libfuse asks no more
            }
        }
        return 0;
    }

    /** FuseFillDir's String overload encodes with the platform charset and no terminator: do it here. */
    private static int name(FuseFillDir filler, Pointer buf, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer terminated = ByteBuffer.allocate(utf8.length + 1).put(utf8).put((byte) 0).flip();
        return filler.apply(buf, terminated, null, 0);
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        MountTree t = tree.get();
        MountTree.Node node = t.get(path);
        if (node == null) {
            return -ErrorCodes.ENOENT();
        }
        if (!(node instanceof MountTree.File file)) {
            return -ErrorCodes.EISDIR();
        }
        if ((fi.flags.get() & O_ACCMODE) != O_RDONLY) {
            return -ErrorCodes.EROFS();
        }
        SeekableByteChannel channel;
        try {
            channel = file.opener().open(file.file());
        } catch (MlvException e) {
            log.warn("cannot open {}: {}", path, e.getMessage());
            return e.kind() == ErrorKind.NOT_FOUND ? -ErrorCodes.ENOENT() : -ErrorCodes.EIO();
        } catch (RuntimeException e) {
            log.warn("cannot open {}: {}", path, e.toString());
            return -ErrorCodes.EIO();
        }
        long handle = nextHandle.getAndIncrement();
        open.put(handle, new OpenFile(file, t.mtimeSeconds(), channel));
        fi.fh.set(handle);
        setOpenFlags(fi, perHandleReads);
        return 0;
    }

    /**
     * Sets libfuse 2's {@code direct_io} (bit 0) or {@code keep_cache} (bit 1): jnr-fuse declares
     * these bit fields as padding, so they are written into the 32-bit word just before {@code fh}.
     * keep_cache lets the kernel keep pages across opens, which is right when content never changes
     * under a path; direct_io sends every read here, to the handle's own version.
     */
    private static void setOpenFlags(FuseFileInfo fi, boolean directIo) {
        long bitsOffset = fi.fh.offset() - 4;
        Pointer memory = Struct.getMemory(fi);
        int bits = memory.getInt(bitsOffset);
        memory.putInt(bitsOffset, bits | (directIo ? 1 : 2));
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        OpenFile f = open.get(fi.fh.get());
        if (f == null) {
            return -ErrorCodes.EBADF();
        }
        try {
            return f.read(buf, (int) Math.min(size, Integer.MAX_VALUE), offset);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read {} at {}: {}", path, offset, e.toString());
            return -ErrorCodes.EIO();
        }
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        OpenFile f = open.remove(fi.fh.get());
        if (f != null) {
            f.close();
        }
        return 0;
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        stbuf.f_bsize.set(BLOCK_SIZE);
        stbuf.f_frsize.set(BLOCK_SIZE);
        stbuf.f_namemax.set(255);
        stbuf.f_files.set(tree.get().size());
        return 0;
    }

    @Override
    public int getxattr(String path, String name, Pointer value, long size) {
        return -ErrorCodes.ENODATA();
    }

    @Override
    public int listxattr(String path, Pointer list, long size) {
        return 0; // no attributes
    }

    @Override
    protected String getFSName() {
        return "mlv";
    }

    /** Closes every channel still open, after the file system is unmounted. */
    void closeAll() {
        open.values().forEach(OpenFile::close);
        open.clear();
    }

    /** One open file: the version it was opened with and a channel over it. */
    private static final class OpenFile {
        final MountTree.File node;
        final long mtimeSeconds;
        private final SeekableByteChannel channel;
        private byte[] buffer = new byte[0];

        OpenFile(MountTree.File node, long mtimeSeconds, SeekableByteChannel channel) {
            this.node = node;
            this.mtimeSeconds = mtimeSeconds;
            this.channel = channel;
        }

        /** Reads up to {@code size} bytes at {@code offset} into {@code buf}; 0 at the end. */
        synchronized int read(Pointer buf, int size, long offset) throws IOException {
            RepoFile file = node.file();
            if (offset >= file.size() || size <= 0) {
                return 0;
            }
            int want = (int) Math.min(size, file.size() - offset);
            if (buffer.length < want) {
                buffer = new byte[want];
            }
            ByteBuffer dst = ByteBuffer.wrap(buffer, 0, want);
            channel.position(offset);
            while (dst.hasRemaining()) {
                if (channel.read(dst) < 0) {
                    break;
                }
            }
            int n = dst.position();
            buf.put(0, buffer, 0, n);
            return n;
        }

        synchronized void close() {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing a channel: {}", e.toString());
            }
        }
    }
}
