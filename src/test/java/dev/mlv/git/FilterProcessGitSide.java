package dev.mlv.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Git's side of the filter protocol, written independently of the code under test: builds the
 * bytes Git would send and reads back what the filter answered.
 */
final class FilterProcessGitSide {
    static final int MAX_DATA = 65516;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The handshake exactly as git 2.39 sends it. */
    FilterProcessGitSide handshake() {
        text("git-filter-client").text("version=2").flush();
        return text("capability=clean").text("capability=smudge").text("capability=delay").flush();
    }

    FilterProcessGitSide text(String line) {
        return packet((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    FilterProcessGitSide packet(byte[] payload) {
        write(String.format("%04x", payload.length + 4).getBytes(StandardCharsets.US_ASCII));
        write(payload);
        return this;
    }

    FilterProcessGitSide flush() {
        write("0000".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    FilterProcessGitSide raw(String bytes) {
        write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    /** Content split into maximum-size packets, as git does, then a flush. */
    FilterProcessGitSide content(byte[] data) {
        for (int off = 0; off < data.length; off += MAX_DATA) {
            packet(Arrays.copyOfRange(data, off, Math.min(data.length, off + MAX_DATA)));
        }
        return flush();
    }

    /** A whole request: command, pathname, extra key=value lines, content. */
    FilterProcessGitSide request(String command, String path, byte[] data, String... extraKeys) {
        text("command=" + command).text("pathname=" + path);
        for (String kv : extraKeys) {
            text(kv);
        }
        flush();
        return content(data);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void write(byte[] b) {
        out.write(b, 0, b.length);
    }

    /** Reads a filter's answers the way Git does. */
    static final class Reader {
        private final InputStream in;
        /** Payload sizes of the content packets read by the last {@link #content()}. */
        final List<Integer> packetSizes = new ArrayList<>();

        Reader(InputStream in) {
            this.in = in;
        }

        /** Next packet's payload, or null for a flush. */
        byte[] packet() throws IOException {
            byte[] header = in.readNBytes(4);
            if (header.length < 4) {
                throw new IOException("filter output ended (" + header.length + " header bytes)");
            }
            int len = Integer.parseInt(new String(header, StandardCharsets.US_ASCII), 16);
            if (len == 0) {
                return null;
            }
            byte[] payload = in.readNBytes(len - 4);
            if (payload.length < len - 4) {
                throw new IOException("filter output ended inside a packet");
            }
            return payload;
        }

        /** Text packets up to a flush, each with its trailing LF kept so tests can check it. */
        List<String> list() throws IOException {
            List<String> lines = new ArrayList<>();
            for (byte[] p = packet(); p != null; p = packet()) {
                lines.add(new String(p, StandardCharsets.UTF_8));
            }
            return lines;
        }

        byte[] content() throws IOException {
            packetSizes.clear();
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (byte[] p = packet(); p != null; p = packet()) {
                packetSizes.add(p.length);
                content.write(p);
            }
            return content.toByteArray();
        }

        /** Reads status=success, content, and the empty list that keeps the status. */
        byte[] success() throws IOException {
            List<String> status = list();
            if (!status.equals(List.of("status=success\n"))) {
                throw new AssertionError("expected status=success, got " + status);
            }
            byte[] content = content();
            List<String> after = list();
            if (!after.isEmpty()) {
                throw new AssertionError("expected an empty list after the content, got " + after);
            }
            return content;
        }

        boolean atEnd() throws IOException {
            return in.read() < 0;
        }
    }
}
