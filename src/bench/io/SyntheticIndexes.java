import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes pack indexes for N synthetic chunks into a store's index/ directory (no packs: the point
 * is the index), 16384 records a pack as mlv's packs hold at most, random chunk ids, 64 KiB chunks.
 * Usage: java -cp target/classes src/bench/io/SyntheticIndexes.java STORE_DIR CHUNKS [SEED]
 */
public class SyntheticIndexes {
    public static void main(String[] args) throws IOException {
        Path index = Path.of(args[0]).resolve("index");
        long chunks = Long.parseLong(args[1]);
        SplittableRandom random = new SplittableRandom(args.length > 2 ? Long.parseLong(args[2]) : 19);
        Files.createDirectories(index);
        int perPack = 16384;
        byte[] id = new byte[32];
        long written = 0;
        while (written < chunks) {
            int n = (int) Math.min(perPack, chunks - written);
            byte[] records = new byte[n * PackFormat.RECORD_SIZE];
            ByteBuffer b = ByteBuffer.wrap(records);
            long offset = PackFormat.PACK_HEADER_SIZE;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 32; k += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        id[k + j] = (byte) (v >>> (56 - 8 * j));
                    }
                }
                b.put(id).putLong(offset).putInt(65536).putInt(65536).put((byte) 0).put(new byte[7]);
                offset += PackFormat.ENTRY_HEADER_SIZE + 65536;
            }
            byte[] packId = new byte[32];
            for (int k = 0; k < 32; k++) {
                packId[k] = (byte) random.nextInt(256);
            }
            long packSize = offset + (long) n * PackFormat.RECORD_SIZE + PackFormat.TRAILER_SIZE;
            byte[] encoded = PackFiles.encodeIndex(new PackRecords(packId, packSize, records, n));
            Files.write(index.resolve(HexFormat.of().formatHex(packId) + ".idx"), encoded);
            written += n;
        }
        System.out.println(written + " chunks in " + ((chunks + perPack - 1) / perPack) + " pack indexes");
    }
}
