package dev.mlv.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Git's pkt-line framing ({@code Documentation/technical/protocol-common.txt}): four hex
 * digits giving the packet's length including themselves, then the payload; {@code 0000} is a
 * flush packet. One reusable buffer of the largest payload, so memory stays bounded whatever the
 * size of the content that flows through.
 */
final class PktLineReader {
    /** Largest payload of one packet: 65520 minus the 4-byte header. */
    static final int MAX_DATA = 65516;

    /** What {@link #next()} found. */
    enum Kind {
        /** A data packet; its payload is {@link #buffer()}[0, {@link #length()}). */
        DATA,
        /** A flush packet ({@code 0000}). */
        FLUSH,
        /** End of input exactly between two packets. */
        END
    }

    private final InputStream in;
    private final byte[] header = new byte[4];
    private final byte[] buffer = new byte[MAX_DATA];
    private int length;

    /** {@code in} should be buffered; the reader makes small reads. */
    PktLineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next packet. End of input inside a packet is a protocol error. */
    Kind next() throws IOException {
        int n = in.readNBytes(header, 0, 4);
        if (n == 0) {
            length = 0;
            return Kind.END;
        }
        if (n < 4) {
            throw new PktLineException("input ended inside a pkt-line header (" + n + " of 4 bytes)");
        }
        int total = parseLength(header);
        if (total == 0) {
            length = 0;
            return Kind.FLUSH;
        }
        if (total < 4) {
            // 0001 (delim) and 0002 (response end) belong to protocol v2, not to the filter protocol.
            throw new PktLineException("unexpected special pkt-line '" + ascii(header) + "'; the filter protocol uses only data and flush packets");
        }
        if (total - 4 > MAX_DATA) {
            throw new PktLineException("pkt-line length " + total + " exceeds the maximum of " + (MAX_DATA + 4));
        }
        length = total - 4;
        int got = in.readNBytes(buffer, 0, length);
        if (got < length) {
            throw new PktLineException("input ended inside a pkt-line (" + got + " of " + length + " payload bytes)");
        }
        return Kind.DATA;
    }

    /** The payload of the last data packet; valid until the next read. */
    byte[] buffer() {
        return buffer;
    }

    /** The payload length of the last data packet. */
    int length() {
        return length;
    }

    /**
     * Reads one text packet (trailing LF removed, as the spec asks receivers to) or null at a
     * flush. End of input is a protocol error naming {@code what} was expected.
     */
    String readText(String what) throws IOException {
        Kind kind = next();
        if (kind == Kind.END) {
            throw new PktLineException("input ended while reading " + what);
        }
        if (kind == Kind.FLUSH) {
            return null;
        }
        return text();
    }

    /** The last data packet as text, its trailing LF removed. */
    String text() {
        int len = length;
        if (len > 0 && buffer[len - 1] == '\n') {
            len--;
        }
        return new String(buffer, 0, len, StandardCharsets.UTF_8);
    }

    /** Reads text packets up to and including the next flush. */
    List<String> readTextList(String what) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = readText(what); line != null; line = readText(what)) {
            lines.add(line);
        }
        return lines;
    }

    /**
     * The data packets up to the next flush as a stream; it reads lazily, so content of any size
     * passes through without being held in memory.
     */
    PktLineInputStream contentStream() {
        return new PktLineInputStream(this);
    }

    private static int parseLength(byte[] hex) throws PktLineException {
        int value = 0;
        for (byte b : hex) {
            int digit = Character.digit(b, 16);
            if (digit < 0) {
                throw new PktLineException("bad pkt-line length '" + ascii(hex) + "'; expected four hex digits");
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static String ascii(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return sb.toString();
    }
}
