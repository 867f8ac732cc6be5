package dev.mlv.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds and damages the objects of a repository's local store, for corruption tests. */
final class StoreDamage {
    private final Path store;

    StoreDamage(Path repo) {
        this.store = repo.resolve(".git/mlv/store");
    }

    List<Path> files(String dir, String suffix) throws IOException {
        Path d = store.resolve(dir);
        if (!Files.exists(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    Path onlyPack() throws IOException {
        List<Path> packs = files("packs", ".pack");
        if (packs.size() != 1) {
            throw new IllegalStateException("expected one pack, found " + packs);
        }
        return packs.get(0);
    }

    Path indexOf(Path pack) {
        String name = pack.getFileName().toString().replace(".pack", ".idx");
        return store.resolve("index").resolve(name);
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5a);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}
