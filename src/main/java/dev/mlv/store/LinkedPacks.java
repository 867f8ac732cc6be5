package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackRecords;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole packs of a directory store remote on this machine's file system that a download
 * needs every chunk of, hard-linked into the local store's temp folder instead of copied, as
 * {@code git clone} links the objects of a repository on a local path: the pull then writes none
 * of their bytes and syncs no data of theirs.
 *
 * <p>The download reads each chunk from the link, the inode it keeps (not from the remote's name,
 * which could be replaced meanwhile), and checks it against its id; only then is the pack
 * published, as one written here is: the pack synced and moved into place, then its index. A pack
 * is linked only when its footer names it and lists exactly the chunks planned from it. Anything
 * else (another file system, a pack the user cannot write, some chunks already local) is copied
 * as before.
 */
final class LinkedPacks implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(LinkedPacks.class);

    private record Linked(Path file, FileChannel channel, PackRecords records) {
    }

    private final Map<String, Linked> packs;
    private boolean published;

    private LinkedPacks(Map<String, Linked> packs) {
        this.packs = packs;
    }

    /** Links the packs of {@code byPack} (pack key to the chunks planned from it) that can be, into {@code local}'s temp folder. */
    static LinkedPacks link(Backend remote, ChunkStore local, Map<String, ? extends List<?>> byPack) {
        Map<String, Linked> packs = new HashMap<>();
        for (Map.Entry<String, ? extends List<?>> e : byPack.entrySet()) {
            Path source = remote.fileOf(e.getKey());
            if (source == null) {
                break; // not a directory store: nothing to link
            }
            Path link = local.tmpDir().resolve("link-" + UUID.randomUUID() + ".tmp");
            try {
                Files.createLink(link, source);
            } catch (IOException | UnsupportedOperationException ex) {
                log.debug("copying the packs of {}: cannot link {} ({})", remote, source, ex.toString());
                break; // another file system, or links refused: the same for every pack
            }
            Linked l = open(link, e.getKey(), e.getValue().size());
            if (l == null) {
                delete(link);
            } else {
                packs.put(e.getKey(), l);
            }
        }
        return new LinkedPacks(packs);
    }

    /** The link opened, when it is pack {@code key} of exactly {@code planned} chunks and this user may sync it; else null. */
    private static Linked open(Path link, String key, int planned) {
        if (!Files.isWritable(link)) {
            return null; // publishing syncs it through a writable handle
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(link, StandardOpenOption.READ);
            PackRecords records = PackFiles.readFooter(ch, key, null);
            if (StoreLayout.packKey(records.packId()).equals(key) && records.count() == planned) {
                return new Linked(link, ch, records);
            }
        } catch (IOException e) {
            log.debug("copying chunks of {}: {}", key, e.getMessage()); // its chunks are read and checked one by one
        }
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // opened for reading: nothing to lose
        }
        return null;
    }

    boolean has(String packKey) {
        return packs.containsKey(packKey);
    }

    /** {@code length} bytes at {@code offset} of linked pack {@code packKey}. */
    byte[] read(String packKey, long offset, int length) throws IOException {
        FileChannel ch = packs.get(packKey).channel();
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new CorruptContentException("pack " + packKey + " ends before offset " + (offset + length));
            }
        }
        return b.array();
    }

    /**
     * Publishes every linked pack, once all their chunks have been read and checked: the packs,
     * synced together, then their indexes, together, then the chunks become visible. One batch of
     * syncs each, not two syncs per pack: each sync waits for a journal commit, which may wait for
     * the work tree's files being written out. Returns how many.
     */
    int publish(ChunkStore local) throws IOException {
        List<Map.Entry<String, Path>> files = new java.util.ArrayList<>();
        List<Map.Entry<String, byte[]>> indexes = new java.util.ArrayList<>();
        for (Map.Entry<String, Linked> e : packs.entrySet()) {
            e.getValue().channel().close();
            files.add(Map.entry(e.getKey(), e.getValue().file()));
            indexes.add(Map.entry(StoreLayout.indexKey(e.getValue().records().packId()), PackFiles.encodeIndex(e.getValue().records())));
        }
        local.backend().writeFiles(files);
        published = true; // the links are consumed
        local.backend().writeAll(indexes);
        for (Map.Entry<String, Linked> e : packs.entrySet()) {
            local.catalog().register(e.getValue().records());
            local.catalog().wroteThroughCache(e.getKey()); // just read: its pages are in memory
        }
        return packs.size();
    }

    /** Removes the links not published. */
    @Override
    public void close() {
        if (published) {
            return;
        }
        for (Linked l : packs.values()) {
            try {
                l.channel().close();
            } catch (IOException e) {
                // opened for reading: nothing to lose
            }
            delete(l.file());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove the temp file {}: {}", file, e.getMessage());
        }
    }
}
