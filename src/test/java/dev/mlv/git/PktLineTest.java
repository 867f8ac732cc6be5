package dev.mlv.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PktLineTest {
    private static PktLineReader reader(String bytes) {
        return new PktLineReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsTheSpecExamples() throws IOException {
        // protocol-common.txt: "0006a\n" -> "a\n", "0005a" -> "a", "000bfoobar\n" -> "foobar\n", "0004" -> "".
        PktLineReader r = reader("0006a\n0005a000bfoobar\n00040000");
        assertThat(r.readText("x")).isEqualTo("a");
        assertThat(r.readText("x")).isEqualTo("a");
        assertThat(r.readText("x")).isEqualTo("foobar");
        assertThat(r.next()).isEqualTo(PktLineReader.Kind.DATA);
        assertThat(r.length()).isZero();
        assertThat(r.next()).isEqualTo(PktLineReader.Kind.FLUSH);
        assertThat(r.next()).isEqualTo(PktLineReader.Kind.END);
    }

    @Test
    void acceptsUppercaseHexLengths() throws IOException {
        assertThat(reader("000Bfoobar\n").readText("x")).isEqualTo("foobar");
    }

    @Test
    void readsAListUpToItsFlush() throws IOException {
        PktLineReader r = reader("0008a=b\n0009c=d=e0000rest");
        assertThat(r.readTextList("x")).containsExactly("a=b", "c=d=e");
    }

    @Test
    void rejectsBadLengths() {
        assertThatThrownBy(() -> reader("00x4").next()).isInstanceOf(PktLineException.class).hasMessageContaining("00x4");
        assertThatThrownBy(() -> reader("0001").next()).isInstanceOf(PktLineException.class).hasMessageContaining("0001");
        assertThatThrownBy(() -> reader("0003").next()).isInstanceOf(PktLineException.class);
        // 65521 = 0xfff1: one byte more than the largest packet.
        assertThatThrownBy(() -> reader("fff1").next()).isInstanceOf(PktLineException.class).hasMessageContaining("65521");
    }

    @Test
    void rejectsEndOfInputInsideAPacket() {
        assertThatThrownBy(() -> reader("00").next()).isInstanceOf(PktLineException.class).hasMessageContaining("header");
        assertThatThrownBy(() -> reader("000afoo").next()).isInstanceOf(PktLineException.class).hasMessageContaining("3 of 6");
        assertThatThrownBy(() -> reader("").readText("the handshake")).isInstanceOf(PktLineException.class)
                .hasMessageContaining("the handshake");
    }

    @Test
    void acceptsTheLargestPacket() throws IOException {
        byte[] payload = new byte[PktLineReader.MAX_DATA];
        new Random(1).nextBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PktLineWriter(out).writePacket(payload, 0, payload.length);
        PktLineReader r = new PktLineReader(new ByteArrayInputStream(out.toByteArray()));
        assertThat(out.toByteArray()).startsWith("fff0".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.next()).isEqualTo(PktLineReader.Kind.DATA);
        assertThat(r.length()).isEqualTo(PktLineReader.MAX_DATA);
    }

    @Test
    void writesTextWithLfListsWithFlushAndSkipsEmptyPackets() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PktLineWriter w = new PktLineWriter(out);
        w.writeTextList(List.of("foobar", "status=success"));
        w.writePacket(new byte[0], 0, 0);
        w.writeFlush();
        w.flush();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("000bfoobar\n0013status=success\n00000000");
    }

    @Test
    void splitsContentIntoPacketsOfAtMostTheMaximum() throws IOException {
        byte[] data = new byte[2 * PktLineReader.MAX_DATA + 5];
        new Random(2).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PktLineWriter(out).writeContent(data, 0, data.length);
        byte[] bytes = out.toByteArray();
        assertThat(bytes).hasSize(data.length + 3 * 4);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("fff0");
        assertThat(new String(bytes, 65520, 4, StandardCharsets.US_ASCII)).isEqualTo("fff0");
        assertThat(new String(bytes, 2 * 65520, 4, StandardCharsets.US_ASCII)).isEqualTo("0009");
    }

    @Test
    void refusesToWriteAnOversizedPacket() {
        byte[] data = new byte[PktLineReader.MAX_DATA + 1];
        assertThatThrownBy(() -> new PktLineWriter(new ByteArrayOutputStream()).writePacket(data, 0, data.length))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentStreamJoinsPacketsUpToTheFlushAndLeavesTheRest() throws IOException {
        byte[] data = new byte[150_000];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PktLineWriter w = new PktLineWriter(out);
        w.writeContent(data, 0, data.length);
        w.writeFlush();
        w.writeText("after");
        PktLineReader r = new PktLineReader(new ByteArrayInputStream(out.toByteArray()));

        PktLineInputStream content = r.contentStream();
        assertThat(content.readAllBytes()).isEqualTo(data);
        assertThat(content.finished()).isTrue();
        assertThat(content.delivered()).isEqualTo(data.length);
        assertThat(content.read()).isEqualTo(-1);
        assertThat(r.readText("x")).isEqualTo("after");
    }

    @Test
    void drainSkipsTheRestOfTheContent() throws IOException {
        PktLineReader r = reader("0007abc0007def00000009after");
        PktLineInputStream content = r.contentStream();
        assertThat(content.read()).isEqualTo('a');
        content.drain();
        assertThat(content.finished()).isTrue();
        assertThat(r.readText("x")).isEqualTo("after");
    }

    @Test
    void contentStreamRemembersAProtocolError() throws IOException {
        PktLineInputStream content = reader("0007abc").contentStream();
        assertThatThrownBy(content::readAllBytes).isInstanceOf(PktLineException.class);
        assertThat(content.failure()).isInstanceOf(PktLineException.class);
        assertThatThrownBy(content::read).isSameAs(content.failure());
    }
}
