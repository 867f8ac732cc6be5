package dev.mlv.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReadStreamTest {
    @TempDir
    Path dir;

    private Path file(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve("f-" + size), data);
    }

    @Test
    void readsEveryByteWhateverTheCallSize() throws IOException {
        // crosses several pieces and ends mid-piece
        Path f = file(3 * IoPieces.PIECE + 12345);
        byte[] expected = Files.readAllBytes(f);
        for (int callSize : new int[] {1, 7, 4096, IoPieces.PIECE - 1, IoPieces.PIECE, 3 * IoPieces.PIECE}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = FileReadStream.open(f)) {
                byte[] buf = new byte[callSize];
                for (int n = in.read(buf, 0, callSize); n >= 0; n = in.read(buf, 0, callSize)) {
                    assertThat(n).isPositive().isLessThanOrEqualTo(Math.min(callSize, IoPieces.PIECE));
                    out.write(buf, 0, n);
                }
                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(out.toByteArray()).as("call size %d", callSize).isEqualTo(expected);
        }
    }

    @Test
    void singleBytesSkipAndAvailable() throws IOException {
        Path f = file(IoPieces.PIECE + 100);
        byte[] expected = Files.readAllBytes(f);
        try (InputStream in = FileReadStream.open(f)) {
            assertThat(in.available()).isEqualTo(expected.length);
            assertThat(in.read()).isEqualTo(expected[0] & 0xFF);
            // a skip within the current piece, then one past its end
            assertThat(in.skip(10)).isEqualTo(10);
            assertThat(in.read()).isEqualTo(expected[11] & 0xFF);
            assertThat(in.skip(IoPieces.PIECE)).isEqualTo(IoPieces.PIECE);
            assertThat(in.read()).isEqualTo(expected[12 + IoPieces.PIECE] & 0xFF);
            assertThat(in.available()).isEqualTo(expected.length - 13 - IoPieces.PIECE);
            assertThat(in.skip(1_000_000)).isEqualTo(expected.length - 13 - IoPieces.PIECE);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void emptyFileAndClosedStream() throws IOException {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        try (InputStream in = FileReadStream.open(empty)) {
            assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
            assertThat(in.read(new byte[10], 0, 0)).isZero();
        }
        InputStream in = FileReadStream.open(file(10));
        in.close();
        in.close(); // twice is harmless
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> FileReadStream.open(dir.resolve("missing")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
