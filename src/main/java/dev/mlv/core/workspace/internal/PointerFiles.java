package dev.mlv.core.workspace.internal;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.Pointers;
import dev.mlv.git.IndexRefresh;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Work-tree files that hold a pointer instead of their content: what a plain {@code git clone}
 * without mlv's filter leaves. {@link #materialise} writes their content (fetched from the store
 * remote when missing locally) and records the new stat data in the index.
 */
public final class PointerFiles {
    private PointerFiles() {
    }

    /** Replaces each pointer file whose index entry is that same pointer by its content; returns how many. */
    public static int materialise(MlvRepository repo) throws IOException, MlvException {
        Path workTree = repo.workTree();
        List<String> written = new ArrayList<>();
        DirCache index = repo.git().readDirCache();
        try (ObjectReader reader = repo.git().newObjectReader()) {
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry e = index.getEntry(i);
                if (e.getStage() != 0 || (e.getFileMode() != FileMode.REGULAR_FILE && e.getFileMode() != FileMode.EXECUTABLE_FILE)) {
                    continue;
                }
                Pointer p = Pointers.read(reader, e.getObjectId());
                Path file = workTree.resolve(e.getPathString());
                if (p == null || p.size() == 0 || !Files.isRegularFile(file) || Files.size(file) >= Pointer.MAX_ENCODED_SIZE
                        || !Arrays.equals(Files.readAllBytes(file), reader.open(e.getObjectId()).getBytes())) {
                    continue;
                }
                Path tmp = AtomicFiles.tempBeside(file);
                try {
                    try (InputStream in = repo.content().open(p); OutputStream out = Files.newOutputStream(tmp)) {
                        in.transferTo(out);
                    }
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                written.add(e.getPathString());
            }
        }
        if (!written.isEmpty()) {
            DirCache dc = repo.git().lockDirCache();
            try {
                for (String path : written) {
                    DirCacheEntry e = dc.getEntry(path);
                    BasicFileAttributes attrs = Files.readAttributes(workTree.resolve(path), BasicFileAttributes.class);
                    e.setLength(attrs.size());
                    e.setLastModified(attrs.lastModifiedTime().toInstant());
                }
                dc.write();
                dc.commit();
            } finally {
                dc.unlock();
            }
            IndexRefresh.afterCheckout(repo.git());
        }
        return written.size();
    }
}
