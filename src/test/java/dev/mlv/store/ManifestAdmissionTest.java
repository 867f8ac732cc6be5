package dev.mlv.store;

import static dev.mlv.store.StoreTestData.random;
import static dev.mlv.store.StoreTestData.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.backend.LocalBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads check chunks, not whole files, because a manifest enters a store only after its file has
 * been checked against its oid. These tests hold the admission side: a remote manifest that is
 * well formed (right checksum) but lists another file's chunks is refused on download, and the
 * local store is left without it.
 */
class ManifestAdmissionTest {
    @TempDir
    Path dir;

    @Test
    void aDownloadRefusesAWellFormedManifestThatListsAnotherFilesChunks() throws IOException {
        Path remoteDir = dir.resolve("remote");
        byte[] a = random(41, 700_000);
        byte[] b = random(42, 700_000);
        Oid oidA;
        Oid oidB;
        try (ChunkStore remote = ChunkStore.init(remoteDir)) {
            oidA = remote.put(new ByteArrayInputStream(a)).pointer().oid();
            oidB = remote.put(new ByteArrayInputStream(b)).pointer().oid();
        }
        // A's manifest now describes B's chunks (same size), with a valid trailer checksum.
        Path manifestA = remoteDir.resolve(StoreLayout.manifestKey(oidA));
        byte[] forged = Files.readAllBytes(remoteDir.resolve(StoreLayout.manifestKey(oidB)));
        int n = (forged.length - 64) / 36;
        oidA.copyTo(forged, 8 + 36 * n);
        CRC32C crc = new CRC32C();
        crc.update(forged, 0, forged.length - 4);
        ByteBuffer.wrap(forged).putInt(forged.length - 4, (int) crc.getValue());
        Files.write(manifestA, forged);

        Path localDir = dir.resolve("local");
        try (ChunkStore local = ChunkStore.init(localDir);
             RemoteStore remote = RemoteStore.open(new LocalBackend(remoteDir), dir.resolve("cache"),
                     StoreOptions.defaults(), 0, 1)) {
            StoreTransfer transfer = new StoreTransfer(local, remote);
            assertThatThrownBy(() -> transfer.download(List.of(oidA)))
                    .isInstanceOf(CorruptContentException.class)
                    .hasMessageContaining(oidA.hex());
            assertThat(local.has(oidA)).isFalse();

            // The honest file downloads and reads back.
            transfer.download(List.of(oidB));
            assertThat(local.has(oidB)).isTrue();
            try (var in = local.open(oidB)) {
                assertThat(sha256(in.readAllBytes())).isEqualTo(oidB);
            }
        }
    }
}
