package dev.mlv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Another process (a second JVM) holding a file open, or mapped with its descriptor closed, as a
 * serving process holds a model, until {@link #close}; it then prints the SHA-256 of the bytes it
 * sees through its descriptor or mapping, which {@link #close} returns.
 */
public final class FileHolder {
    private final Process process;
    private final BufferedReader out;

    private FileHolder(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
    }

    /** {@code how} is "open" or "map". */
    public static FileHolder start(String how, Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new FileHolder(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FileHolder.class.getName(), how, file.toString()).redirectErrorStream(true).start());
    }

    /** Lets the process go; the hex SHA-256 of what it saw of the file at the end. */
    public String close() throws IOException {
        process.getOutputStream().close();
        String digest = out.readLine();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return digest;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        MappedByteBuffer map = null;
        if (args[0].equals("map")) {
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, Files.size(file));
            channel.close();
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our stdin
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (map != null) {
            sha.update(map);
        } else {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            for (long at = 0; channel.read(buf, at) > 0; at += buf.position(), buf.clear()) {
                sha.update(buf.flip());
            }
        }
        System.out.println(HexFormat.of().formatHex(sha.digest()));
    }
}
