import dev.mlv.store.manifest.ManifestWriter;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import dev.mlv.store.pack.PackWriter;
import dev.mlv.store.pack.WriteBehind;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes N real chunks of 64 bytes into a store directory: real packs (16384 chunks each, as
 * mlv's packs hold at most), their indexes, and one manifest per FILE_CHUNKS chunks naming them
 * in order (each manifest is a real file: the concatenation of its chunks, whose SHA-256 is its
 * oid). Tiny chunks because the point is the index, not the bytes. Chunk i's content is i as 8
 * bytes, then SEED, then zeros: ids differ across stores written with different seeds.
 * Usage: java -cp target/classes src/bench/io/SyntheticStore.java STORE_DIR CHUNKS [FILE_CHUNKS] [SEED]
 */
public class SyntheticStore {
    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        long chunks = Long.parseLong(args[1]);
        long perFile = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 19;
        HexFormat hex = HexFormat.of();
        Path tmp = Files.createDirectories(store.resolve("tmp"));
        Files.createDirectories(store.resolve("index"));
        MessageDigest chunkSha = MessageDigest.getInstance("SHA-256");
        MessageDigest fileSha = MessageDigest.getInstance("SHA-256");
        byte[] data = new byte[64];
        byte[] id = new byte[32];
        int perPack = 16384;
        long packs = 0;
        ManifestWriter manifest = null;
        long inFile = 0;
        try (WriteBehind io = new WriteBehind(1 << 20, 4, false, 4096)) {
            for (long written = 0; written < chunks; ) {
                PackWriter pack = new PackWriter(Files.createTempFile(tmp, "pack", ".tmp"), io);
                int n = (int) Math.min(perPack, chunks - written);
                for (int i = 0; i < n; i++, written++) {
                    ByteBuffer.wrap(data).putLong(0, written).putLong(8, seed);
                    chunkSha.update(data);
                    chunkSha.digest(id, 0, 32);
                    pack.add(id, 0, data.length, PackFormat.COMPRESSION_NONE, data, 0, data.length);
                    if (manifest == null) {
                        manifest = new ManifestWriter(Files.createTempFile(tmp, "manifest", ".tmp"));
                    }
                    manifest.add(id, 0, data.length);
                    fileSha.update(data);
                    if (++inFile == perFile || written + 1 == chunks) {
                        byte[] oid = fileSha.digest();
                        manifest.finish(oid, false);
                        String o = hex.formatHex(oid);
                        Path target = store.resolve("manifests").resolve(o.substring(0, 2)).resolve(o);
                        Files.createDirectories(target.getParent());
                        Files.move(manifest.file(), target, StandardCopyOption.ATOMIC_MOVE);
                        manifest.close();
                        manifest = null;
                        inFile = 0;
                    }
                }
                PackRecords records = pack.finish();
                io.drain();
                String p = hex.formatHex(records.packId());
                Path target = store.resolve("packs").resolve(p.substring(0, 2)).resolve(p + ".pack");
                Files.createDirectories(target.getParent());
                Files.move(pack.file(), target, StandardCopyOption.ATOMIC_MOVE);
                Files.write(store.resolve("index").resolve(p + ".idx"), PackFiles.encodeIndex(records));
                packs++;
            }
        }
        System.out.println(chunks + " chunks in " + packs + " packs, " + ((chunks + perFile - 1) / perFile)
                + " manifests");
    }
}
