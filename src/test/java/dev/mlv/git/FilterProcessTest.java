package dev.mlv.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlv.store.Pointer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FilterProcessTest {
    private final FilterProcessMemoryStore store = new FilterProcessMemoryStore();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs a filter process over Git's scripted input and returns a reader past the handshake. */
    private FilterProcessGitSide.Reader run(FilterProcessGitSide git) throws IOException {
        ByteArrayOutputStream toGit = new ByteArrayOutputStream();
        new FilterProcess(store, new ByteArrayInputStream(git.bytes()), toGit, new PrintStream(errBytes, true)).run();
        return afterHandshake(toGit);
    }

    private static FilterProcessGitSide.Reader afterHandshake(ByteArrayOutputStream toGit) throws IOException {
        FilterProcessGitSide.Reader reader = new FilterProcessGitSide.Reader(new ByteArrayInputStream(toGit.toByteArray()));
        assertThat(reader.list()).containsExactly("git-filter-server\n", "version=2\n");
        assertThat(reader.list()).containsExactly("capability=clean\n", "capability=smudge\n", "capability=delay\n");
        return reader;
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void handshakeAnswersServerVersion2AndAcceptsDelay() throws IOException {
        ByteArrayOutputStream toGit = new ByteArrayOutputStream();
        FilterProcessGitSide git = new FilterProcessGitSide().handshake();
        new FilterProcess(store, new ByteArrayInputStream(git.bytes()), toGit, new PrintStream(errBytes)).run();

        assertThat(toGit.toString(StandardCharsets.US_ASCII)).isEqualTo(
                "0016git-filter-server\n" + "000eversion=2\n" + "0000"
                        + "0015capability=clean\n" + "0016capability=smudge\n" + "0015capability=delay\n" + "0000");
    }

    @Test
    void handshakeAcceptsOnlyCapabilitiesGitOffers() throws IOException {
        ByteArrayOutputStream toGit = new ByteArrayOutputStream();
        FilterProcessGitSide git = new FilterProcessGitSide()
                .text("git-filter-client").text("version=2").text("version=42").flush()
                .text("capability=smudge").text("capability=not-yet-invented").flush();
        new FilterProcess(store, new ByteArrayInputStream(git.bytes()), toGit, new PrintStream(errBytes)).run();

        FilterProcessGitSide.Reader reader = new FilterProcessGitSide.Reader(new ByteArrayInputStream(toGit.toByteArray()));
        assertThat(reader.list()).containsExactly("git-filter-server\n", "version=2\n");
        assertThat(reader.list()).containsExactly("capability=smudge\n");
        assertThat(reader.atEnd()).isTrue();
    }

    @Test
    void handshakeRejectsAWrongWelcome() {
        FilterProcessGitSide git = new FilterProcessGitSide().text("git-lfs-client").text("version=2").flush();
        assertThatThrownBy(() -> run(git))
                .isInstanceOf(PktLineException.class)
                .hasMessageContaining("git-filter-client")
                .hasMessageContaining("git-lfs-client");
    }

    @Test
    void handshakeRejectsGitWithoutVersion2() {
        FilterProcessGitSide git = new FilterProcessGitSide().text("git-filter-client").text("version=3").flush();
        assertThatThrownBy(() -> run(git))
                .isInstanceOf(PktLineException.class)
                .hasMessageContaining("version=3")
                .hasMessageContaining("version=2");
    }

    @Test
    void cleanOfEmptyContentIsEmptyAndStoresNothing() throws IOException {
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("clean", "empty.bin", new byte[0]));

        // status=success, flush, no content packets, flush, empty list, flush.
        assertThat(reader.list()).containsExactly("status=success\n");
        assertThat(reader.packet()).isNull();
        assertThat(reader.packet()).isNull();
        assertThat(reader.atEnd()).isTrue();
        assertThat(store.puts).isZero();
    }

    @Test
    void cleanOfSmallContentStoresItAndAnswersItsPointer() throws IOException {
        byte[] data = ascii("hello, model\n");
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("clean", "models/small.bin", data));

        byte[] answer = reader.success();
        assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo(
                "version https://git-lfs.github.com/spec/v1\n"
                        + "oid sha256:" + FilterProcessMemoryStore.sha256(data).hex() + "\n"
                        + "size 13\n");
        assertThat(store.contents.get(FilterProcessMemoryStore.sha256(data))).isEqualTo(data);
        assertThat(reader.atEnd()).isTrue();
    }

    @Test
    void cleanOfMultiPacketContentStoresAllOfIt() throws IOException {
        byte[] data = random(300_000, 1);
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("clean", "models/big.bin", data));

        assertThat(reader.success()).isEqualTo(FilterProcessMemoryStore.pointerOf(data).encode());
        assertThat(store.contents.get(FilterProcessMemoryStore.sha256(data))).isEqualTo(data);
    }

    @Test
    void cleanAcceptsPacketsOfAnySizeIncludingEmptyOnes() throws IOException {
        byte[] data = random(70_000, 2);
        FilterProcessGitSide git = new FilterProcessGitSide().handshake()
                .text("command=clean").text("pathname=odd.bin").flush()
                .packet(Arrays.copyOfRange(data, 0, 1))
                .raw("0004")
                .packet(Arrays.copyOfRange(data, 1, 65517))
                .packet(Arrays.copyOfRange(data, 65517, data.length))
                .flush();
        FilterProcessGitSide.Reader reader = run(git);

        assertThat(reader.success()).isEqualTo(FilterProcessMemoryStore.pointerOf(data).encode());
    }

    @Test
    void cleanOfAPointerPassesItThroughUnchanged() throws IOException {
        byte[] pointer = FilterProcessMemoryStore.pointerOf(random(10, 3)).encode();
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("clean", "models/m.bin", pointer));

        assertThat(reader.success()).isEqualTo(pointer);
        assertThat(store.puts).isZero();
    }

    @Test
    void cleanStoresContentThatOnlyLooksLikeAPointer() throws IOException {
        byte[] notPointer = ascii("version https://git-lfs.github.com/spec/v1\noid md5:abc\nsize 3\n");
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("clean", "models/m.bin", notPointer));

        assertThat(reader.success()).isEqualTo(FilterProcessMemoryStore.pointerOf(notPointer).encode());
        assertThat(store.puts).isEqualTo(1);
    }

    @Test
    void requestsIgnoreUnknownKeysAndKeepEqualsSignsInValues() throws IOException {
        byte[] data = ascii("content");
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("clean", "a=b.bin", data, "ref=refs/heads/main", "treeish=0123abcd", "blob=deadbeef"));

        assertThat(reader.success()).isEqualTo(FilterProcessMemoryStore.pointerOf(data).encode());
    }

    @Test
    void aFailedPutAnswersErrorAndTheNextRequestStillWorks() throws IOException {
        store.failPutAfter = 100_000L;
        byte[] big = random(200_000, 4);
        FilterProcessGitSide git = new FilterProcessGitSide().handshake()
                .request("clean", "models/a.bin", big)
                .request("smudge", "other.txt", ascii("plain"));
        FilterProcessGitSide.Reader reader = run(git);

        assertThat(reader.list()).containsExactly("status=error\n");
        assertThat(reader.success()).isEqualTo(ascii("plain"));
        assertThat(reader.atEnd()).isTrue();
        assertThat(err()).contains("models/a.bin").contains("disk full (test)");
    }

    @Test
    void smudgeRestoresStoredContentByteForByte() throws IOException {
        byte[] data = random(300_000, 5);
        Pointer pointer = store.add(data);
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("smudge", "models/big.bin", pointer.encode(), "treeish=abc", "blob=def"));

        assertThat(reader.success()).isEqualTo(data);
        assertThat(reader.packetSizes).allMatch(n -> n > 0 && n <= FilterProcessGitSide.MAX_DATA);
        assertThat(reader.atEnd()).isTrue();
    }

    @Test
    void smudgeOfEmptyContentIsEmpty() throws IOException {
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("smudge", "e.bin", new byte[0]));

        assertThat(reader.success()).isEmpty();
    }

    @Test
    void smudgeOfABlobThatIsNotAPointerPassesItThrough() throws IOException {
        byte[] raw = random(5_000, 6);
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("smudge", "raw.bin", raw));

        assertThat(reader.success()).isEqualTo(raw);
    }

    @Test
    void smudgeOfALargeNonPointerSpoolsToDiskAndPassesItThrough(@TempDir Path spool) throws IOException {
        byte[] raw = random(250_000, 7);
        FilterProcessGitSide git = new FilterProcessGitSide().handshake().request("smudge", "raw.bin", raw);
        ByteArrayOutputStream toGit = new ByteArrayOutputStream();
        new FilterProcess(store, new ByteArrayInputStream(git.bytes()), toGit, new PrintStream(errBytes), 4096)
                .spoolDirectory(spool)
                .run();

        FilterProcessGitSide.Reader reader = afterHandshake(toGit);
        assertThat(reader.success()).isEqualTo(raw);
        try (var files = Files.list(spool)) {
            assertThat(files).as("temp files are removed").isEmpty();
        }
    }

    @Test
    void delayedSmudgesAreFetchedInOneBatchThenServedOnGitsSecondRequest() throws IOException {
        byte[] a = random(3000, 21);
        byte[] b = random(4000, 22);
        Pointer pa = store.addRemote(a);
        Pointer pb = store.addRemote(b);
        byte[] local = random(1000, 23);
        Pointer pl = store.add(local);
        FilterProcessGitSide git = new FilterProcessGitSide().handshake()
                .request("smudge", "models/a.bin", pa.encode(), "can-delay=1")
                .request("smudge", "models/local.bin", pl.encode(), "can-delay=1")
                .request("smudge", "models/b.bin", pb.encode(), "can-delay=1")
                .text("command=list_available_blobs").flush()
                .request("smudge", "models/a.bin", new byte[0])
                .request("smudge", "models/b.bin", new byte[0])
                .text("command=list_available_blobs").flush();
        FilterProcessGitSide.Reader reader = run(git);

        assertThat(reader.list()).containsExactly("status=delayed\n");
        assertThat(reader.success()).as("content already local is not delayed").isEqualTo(local);
        assertThat(reader.list()).containsExactly("status=delayed\n");
        assertThat(reader.list()).containsExactly("pathname=models/a.bin\n", "pathname=models/b.bin\n");
        assertThat(reader.list()).containsExactly("status=success\n");
        assertThat(store.prefetches).as("one fetch for the whole checkout").isEqualTo(1);
        assertThat(reader.success()).isEqualTo(a);
        assertThat(reader.success()).isEqualTo(b);
        assertThat(reader.list()).as("nothing more is delayed").isEmpty();
        assertThat(reader.list()).containsExactly("status=success\n");
        assertThat(reader.atEnd()).isTrue();
    }

    @Test
    void withoutCanDelayAMissingFileIsNotDelayed() throws IOException {
        Pointer missing = FilterProcessMemoryStore.pointerOf(random(1000, 24));
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("smudge", "models/missing.bin", missing.encode()));
        assertThat(reader.list()).containsExactly("status=error\n");
        assertThat(store.prefetches).isZero();
    }

    @Test
    void smudgeOfMissingContentAnswersErrorNamingPathAndOidAndTheNextRequestWorks() throws IOException {
        Pointer missing = FilterProcessMemoryStore.pointerOf(random(1000, 8));
        byte[] present = random(2000, 9);
        Pointer stored = store.add(present);
        FilterProcessGitSide git = new FilterProcessGitSide().handshake()
                .request("smudge", "models/missing.bin", missing.encode())
                .request("smudge", "models/present.bin", stored.encode());
        FilterProcessGitSide.Reader reader = run(git);

        assertThat(reader.list()).containsExactly("status=error\n");
        assertThat(reader.success()).isEqualTo(present);
        assertThat(reader.atEnd()).isTrue();
        assertThat(err()).contains("models/missing.bin").contains(missing.oid().hex()).contains("mlv pull");
    }

    @Test
    void aStoreFailingMidStreamEndsTheContentAndChangesTheStatusToError() throws IOException {
        byte[] data = random(200_000, 10);
        Pointer pointer = store.add(data);
        store.failOpenAfter = 100_000L;
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("smudge", "models/corrupt.bin", pointer.encode())
                .request("clean", "next.bin", ascii("x")));

        assertThat(reader.list()).containsExactly("status=success\n");
        byte[] partial = reader.content();
        assertThat(partial.length).isLessThan(data.length);
        assertThat(data).startsWith(partial);
        assertThat(reader.list()).containsExactly("status=error\n");
        assertThat(reader.success()).isEqualTo(FilterProcessMemoryStore.pointerOf(ascii("x")).encode());
        assertThat(err()).contains("models/corrupt.bin").contains("corrupt (test)");
    }

    @Test
    void aStoreFailingAtOnceAnswersAPlainError() throws IOException {
        Pointer pointer = store.add(random(1000, 11));
        store.failOpenAfter = 0L;
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake()
                .request("smudge", "models/corrupt.bin", pointer.encode()));

        assertThat(reader.list()).containsExactly("status=error\n");
        assertThat(reader.atEnd()).isTrue();
    }

    @Test
    void aMalformedPacketIsAProtocolError() {
        FilterProcessGitSide git = new FilterProcessGitSide().handshake()
                .text("command=clean").text("pathname=a.bin").flush()
                .raw("00zzgarbage");
        assertThatThrownBy(() -> run(git))
                .isInstanceOf(PktLineException.class)
                .hasMessageContaining("00zz");
    }

    @Test
    void endOfInputInsideContentIsAProtocolError() {
        FilterProcessGitSide git = new FilterProcessGitSide().handshake()
                .text("command=clean").text("pathname=a.bin").flush()
                .packet(random(1000, 12));
        assertThatThrownBy(() -> run(git))
                .isInstanceOf(PktLineException.class)
                .hasMessageContaining("flush");
    }

    @Test
    void endOfInputInsideContentIsAProtocolErrorEvenIfTheStoreSwallowsIt() {
        store.failPutAfter = 200_000L;
        FilterProcessGitSide git = new FilterProcessGitSide().handshake()
                .text("command=clean").text("pathname=a.bin").flush()
                .packet(random(2000, 13));
        assertThatThrownBy(() -> run(git)).isInstanceOf(PktLineException.class);
    }

    @Test
    void anUnofferedCommandIsAProtocolError() {
        // git that did not offer delay cannot ask which delayed blobs are available
        FilterProcessGitSide git = new FilterProcessGitSide()
                .text("git-filter-client").text("version=2").flush()
                .text("capability=clean").text("capability=smudge").flush()
                .text("command=list_available_blobs").flush();
        assertThatThrownBy(() -> run(git))
                .isInstanceOf(PktLineException.class)
                .hasMessageContaining("list_available_blobs");
        FilterProcessGitSide other = new FilterProcessGitSide().handshake().text("command=rebase").flush();
        assertThatThrownBy(() -> run(other)).isInstanceOf(PktLineException.class).hasMessageContaining("rebase");
    }

    @Test
    void answersEachRequestBeforeTheNextArrives() throws Exception {
        // Real git waits for each answer before sending more: the filter must flush every response.
        PipedOutputStream gitOut = new PipedOutputStream();
        PipedInputStream filterIn = new PipedInputStream(gitOut, 1 << 16);
        PipedOutputStream filterOut = new PipedOutputStream();
        PipedInputStream gitIn = new PipedInputStream(filterOut, 1 << 16);
        FilterProcess filter = new FilterProcess(store, filterIn, filterOut, new PrintStream(errBytes));
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                filter.run();
                filterOut.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        FilterProcessGitSide.Reader reader = new FilterProcessGitSide.Reader(gitIn);

        send(gitOut, new FilterProcessGitSide().handshake());
        assertThat(reader.list()).containsExactly("git-filter-server\n", "version=2\n");
        assertThat(reader.list()).containsExactly("capability=clean\n", "capability=smudge\n", "capability=delay\n");

        byte[] data = random(150_000, 14);
        send(gitOut, new FilterProcessGitSide().request("clean", "m.bin", data));
        byte[] pointer = reader.success();
        assertThat(pointer).isEqualTo(FilterProcessMemoryStore.pointerOf(data).encode());

        send(gitOut, new FilterProcessGitSide().request("smudge", "m.bin", pointer));
        assertThat(reader.success()).isEqualTo(data);

        gitOut.close();
        done.get(10, TimeUnit.SECONDS);
        assertThat(reader.atEnd()).isTrue();
    }

    private static void send(OutputStream out, FilterProcessGitSide git) throws IOException {
        out.write(git.bytes());
        out.flush();
    }

    @Test
    void returnsWhenGitClosesTheChannelAfterTheHandshake() throws IOException {
        FilterProcessGitSide.Reader reader = run(new FilterProcessGitSide().handshake());
        assertThat(reader.atEnd()).isTrue();
        assertThat(err()).isEmpty();
    }
}
