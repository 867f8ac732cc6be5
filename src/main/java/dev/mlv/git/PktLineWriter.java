package dev.mlv.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes Git's pkt-line framing: text packets (with the trailing LF the spec recommends), flush
 * packets, and content split into packets of at most {@link PktLineReader#MAX_DATA} bytes.
 * Nothing reaches the other side until {@link #flush()}.
 */
final class PktLineWriter {
    private static final byte[] FLUSH = {'0', '0', '0', '0'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] header = new byte[4];

    /** {@code out} should be buffered. */
    PktLineWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes one data packet. An empty payload writes nothing: the spec says not to send "0004". */
    void writePacket(byte[] data, int off, int len) throws IOException {
        if (len > PktLineReader.MAX_DATA) {
            throw new IllegalArgumentException("pkt-line payload of " + len + " bytes exceeds " + PktLineReader.MAX_DATA);
        }
        if (len == 0) {
            return;
        }
        int total = len + 4;
        header[0] = HEX[total >>> 12 & 0xf];
        header[1] = HEX[total >>> 8 & 0xf];
        header[2] = HEX[total >>> 4 & 0xf];
        header[3] = HEX[total & 0xf];
        out.write(header);
        out.write(data, off, len);
    }

    /** Writes {@code text} and a LF as one packet. */
    void writeText(String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        writePacket(bytes, 0, bytes.length);
    }

    /** Writes each line as a text packet, then a flush packet. */
    void writeTextList(List<String> lines) throws IOException {
        for (String line : lines) {
            writeText(line);
        }
        writeFlush();
    }

    void writeFlush() throws IOException {
        out.write(FLUSH);
    }

    /** Writes {@code data} split into as many packets as it needs (none if it is empty). */
    void writeContent(byte[] data, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, PktLineReader.MAX_DATA);
            writePacket(data, off, n);
            off += n;
            len -= n;
        }
    }

    /** Sends what was written so far. */
    void flush() throws IOException {
        out.flush();
    }
}
