package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.ChunkIdSet;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import dev.mlv.store.pack.PackWriter;
import dev.mlv.store.pack.WriteBehind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves file versions between the local store and a {@link RemoteStore}, sending only chunks the
 * other side lacks. Upload re-packs the missing chunks (as stored: compressed chunks stay
 * compressed) into new packs and publishes each pack, then its index, and only after every pack
 * is indexed the files' manifests, so the remote never names a chunk it does not hold. Download
 * reads just the missing chunks' byte ranges out of the remote's packs, checks every chunk against
 * its id, packs them locally, and writes a file's manifest last. Transfers run on {@code jobs}
 * threads; an interrupted transfer leaves only complete, unreferenced packs, which the next run
 * finds and does not send again.
 */
public final class StoreTransfer {
    private static final Logger log = LoggerFactory.getLogger(StoreTransfer.class);
    /** Longest single range read on download. */
    private static final int MAX_RANGE = 8 << 20;
    /**
     * Small objects (manifests) in flight at once: each is one request whose time is the round
     * trip and the server's per-request work, so more of them overlap than large transfers do.
     */
    static final int SMALL_JOBS = 16;
    /** The most manifests a push writes in one {@link Backend#writeAll}. */
    static final int MANIFEST_GROUP = 64;
    /** Runs of local chunks read ahead of the packing on push (each at most {@link #MAX_RANGE}). */
    private static final int READ_AHEAD = 4;
    /** The smallest pack an upload cuts for the sake of parallel streams. */
    static final long MIN_UPLOAD_PACK = 8L << 20;
    /** Remote manifests a push needs that are older than this are written again (see {@link #freshen}). */
    static final Duration FRESHEN_AFTER = Duration.ofHours(1);

    private final ChunkStore local;
    private final RemoteStore remote;
    private int jobs = 4;
    /** The size of the packs the current upload sends (see {@link #uploadPackSize}). */
    private long uploadPackSize;
    /** Planned chunks of the current upload put into packs so far. */
    private int packedEntries;
    private ManifestSender manifestsOut;
    private ProgressListener listener = ProgressListener.NONE;
    /** Files a download writes out whole as their chunks arrive (see {@link #writeFilesOut}); null for none. */
    private Set<Oid> writeOut;
    private Map<Oid, Path> written = Map.of();

    public StoreTransfer(ChunkStore local, RemoteStore remote) {
        this.local = local;
        this.remote = remote;
    }

    /** Parallel transfers (at least 1). */
    public StoreTransfer setJobs(int jobs) {
        this.jobs = Math.max(1, jobs);
        return this;
    }

    /**
     * Has the next download also write each of {@code oids} whose chunks it all fetches into a new
     * file in the local store's temp folder, checked against its oid, as the chunks arrive
     * ({@link DownloadedFiles}): the files a checkout that follows would write. {@link #writtenFiles}
     * hands them over.
     */
    public StoreTransfer writeFilesOut(Set<Oid> oids) {
        this.writeOut = oids;
        return this;
    }

    /** The files the last download wrote out whole and checked (see {@link #writeFilesOut}); the caller removes them. */
    public Map<Oid, Path> writtenFiles() {
        return written;
    }

    /** Receives the bytes transferred as they go (packs, indexes, manifests); called from transfer threads. */
    public StoreTransfer setListener(ProgressListener listener) {
        this.listener = listener;
        return this;
    }

    // ---------------------------------------------------------------- upload

    /**
     * Sends the files (which must be in the local store) that the remote lacks. With
     * {@code dryRun} only counts what would be sent.
     */
    public TransferResult upload(Iterable<Oid> oids, boolean dryRun) throws IOException {
        return upload(oids, dryRun, Set.of());
    }

    /**
     * Sends the files as {@link #upload(Iterable, boolean)} does, and {@code resend} even when the
     * remote has their manifest (a repair of the remote: their manifest is written again, and
     * their chunks that no remote index lists are sent).
     */
    public TransferResult upload(Iterable<Oid> oids, boolean dryRun, Set<Oid> resend) throws IOException {
        long start = System.nanoTime();
        Retry retry = remote.retry();
        Set<Oid> wanted = new LinkedHashSet<>();
        oids.forEach(wanted::add);
        if (wanted.isEmpty()) {
            return TransferResult.NONE;
        }
        boolean exists = remote.exists();
        Map<String, Backend.ObjectInfo> remoteManifests = new HashMap<>();
        if (exists) {
            retry.call("list manifests/", () -> remote.backend().listInfo(StoreLayout.MANIFESTS))
                    .forEach(m -> remoteManifests.put(m.key(), m));
        }
        List<Oid> toSend = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        long filesSkipped = 0;
        Instant freshenBefore = Instant.now().minus(FRESHEN_AFTER);
        for (Oid oid : wanted) {
            Backend.ObjectInfo present = remoteManifests.get(StoreLayout.manifestKey(oid));
            if (present == null || resend.contains(oid)) {
                toSend.add(oid);
                continue;
            }
            filesSkipped++;
            if (present.lastModified().isBefore(freshenBefore)) {
                stale.add(present.key());
            }
        }
        if (!dryRun) {
            freshen(stale, retry);
        }
        if (toSend.isEmpty()) {
            return new TransferResult(0, filesSkipped, 0, 0, 0, 0, 0, 0, millis(start));
        }
        if (!dryRun) {
            remote.create();
            remote.repairIndexes();
        }
        if (exists || !dryRun) {
            remote.reload();
        }
        UploadPlan p = planUpload(toSend);
        if (dryRun) {
            return new TransferResult(toSend.size(), filesSkipped, p.plan().size(), p.chunksSkipped(), p.plannedBytes(),
                    p.skippedBytes(), 0, 0, millis(start));
        }
        listener.totalKnown(p.plannedBytes());
        AtomicLong sent = new AtomicLong();
        int[] packs = {0};
        ExecutorService pool = Executors.newFixedThreadPool(jobs, daemon("mlv-upload"));
        ExecutorService readers = Executors.newFixedThreadPool(2, daemon("mlv-read"));
        ExecutorService small = Executors.newFixedThreadPool(Math.max(1, Math.min(SMALL_JOBS, toSend.size())), daemon("mlv-upload"));
        List<Path> staged = new ArrayList<>();
        long chunks = p.plan().size();
        long chunksSkipped = p.chunksSkipped();
        long skippedBytes = p.skippedBytes();
        try (WriteBehind io = new WriteBehind(1 << 20, 4, false, 4096)) {
            packs[0] = linkWholePacks(p, readers, retry, sent);
            if (packs[0] > 0) { // their chunks are on the remote now: the rest is planned again
                p = planUpload(toSend);
            }
            List<PackCatalog.Location> plan = p.plan();
            int[] readyAfter = p.readyAfter();
            uploadPackSize = uploadPackSize(p.plannedBytes(), jobs, local.options().packSize());
            manifestsOut = new ManifestSender(toSend, readyAfter, small, retry, sent);
            packedEntries = 0;
            List<byte[]> planIds = p.planIds();
            manifestsOut.release(0); // files whose chunks the remote has already
            Deque<Future<Integer>> inFlight = new ArrayDeque<>();
            PackWriter pack = null;
            // The chunks are read in runs that lie back to back in a local pack (a file's new
            // chunks, as a put wrote them), a few runs ahead of the packing.
            Deque<Future<byte[]>> reading = new ArrayDeque<>();
            Deque<Range> order = new ArrayDeque<>();
            for (Range r : localRanges(plan, planIds)) {
                while (reading.size() >= READ_AHEAD) {
                    pack = repack(order.removeFirst(), await(reading.removeFirst()), pack, io, pool, inFlight, staged,
                            sent, packs);
                }
                order.add(r);
                reading.add(readers.submit(() -> readLocal(r)));
            }
            while (!reading.isEmpty()) {
                pack = repack(order.removeFirst(), await(reading.removeFirst()), pack, io, pool, inFlight, staged,
                        sent, packs);
            }
            if (pack != null) {
                submitUpload(pack, io, pool, inFlight, staged, sent, packs);
            }
            while (!inFlight.isEmpty()) {
                manifestsOut.release(await(inFlight.removeFirst()));
            }
            manifestsOut.release(plan.size());
            manifestsOut.awaitAll();
            if (toSend.size() >= ManifestBundles.MIN_BATCH) {
                sendBundles(toSend, retry);
            }
        } finally {
            pool.shutdownNow();
            readers.shutdownNow();
            small.shutdownNow();
            for (Path file : staged) {
                Files.deleteIfExists(file);
            }
        }
        return new TransferResult(toSend.size(), filesSkipped, chunks, chunksSkipped, sent.get(), skippedBytes,
                packs[0], packs[0], millis(start));
    }

    /**
     * The chunks of {@code toSend} the remote lacks, in file order, each once, with where they are
     * locally. A file's manifest may go once the first {@code readyAfter[f]} planned chunks are in
     * indexed remote packs (its own chunks are among them; files are planned in order, so this only grows).
     */
    private record UploadPlan(List<PackCatalog.Location> plan, List<byte[]> planIds, int[] readyAfter, long plannedBytes,
                              long chunksSkipped, long skippedBytes) {
    }

    private UploadPlan planUpload(List<Oid> toSend) throws IOException {
        ChunkLookup remoteIndex = remote.catalog().index();
        ChunkIdSet planned = ChunkIdSet.exact();
        List<PackCatalog.Location> plan = new ArrayList<>();
        List<byte[]> planIds = new ArrayList<>();
        long chunksSkipped = 0;
        long skippedBytes = 0;
        long plannedBytes = 0;
        int[] readyAfter = new int[toSend.size()];
        for (int f = 0; f < toSend.size(); f++) {
            Manifest m = local.manifest(toSend.get(f));
            byte[] ids = m.idBytes();
            for (int i = 0; i < m.chunkCount(); i++) {
                if (remoteIndex.find(ids, i * 32) >= 0 || planned.contains(ids, i * 32)) {
                    chunksSkipped++;
                    skippedBytes += m.chunkLength(i);
                    continue;
                }
                PackCatalog.Location loc = localLocation(ids, i * 32);
                planned.add(ids, i * 32);
                plan.add(loc);
                planIds.add(java.util.Arrays.copyOfRange(ids, i * 32, i * 32 + 32));
                plannedBytes += loc.entryLength();
            }
            readyAfter[f] = plan.size();
        }
        return new UploadPlan(plan, planIds, readyAfter, plannedBytes, chunksSkipped, skippedBytes);
    }

    /**
     * Links into a directory store remote on this file system each local pack of at least
     * {@link #MIN_UPLOAD_PACK} the upload needs every chunk of (a train-commit's packs hold exactly
     * its new chunks) instead of repacking it (small packs are merged by the repacking),
     * as a pull links the other way ({@link LinkedPacks}): every chunk is read and checked first (a
     * push never spreads a damaged chunk), then the pack is published on the remote, synced, then its
     * index. Returns how many packs were linked; none when the remote is not such a directory.
     */
    private int linkWholePacks(UploadPlan p, ExecutorService readers, Retry retry, AtomicLong sent) throws IOException {
        Map<String, Integer> planned = new LinkedHashMap<>();
        for (PackCatalog.Location loc : p.plan()) {
            planned.merge(loc.packKey(), 1, Integer::sum);
        }
        int linked = 0;
        for (Map.Entry<String, Integer> e : planned.entrySet()) {
            String packKey = e.getKey();
            Path source = local.backend().fileOf(packKey);
            if (source == null || remote.backend().fileOf(packKey) == null) {
                return linked; // not both directories on this machine
            }
            PackRecords records = PackFiles.readFooter(local.backend(), packKey, null);
            if (records.count() != e.getValue() || !StoreLayout.packKey(records.packId()).equals(packKey)
                    || records.packSize() < MIN_UPLOAD_PACK) {
                continue; // some of its chunks are on the remote already, or a small pack: repacked with the rest
            }
            List<PackCatalog.Location> entries = new ArrayList<>();
            List<byte[]> ids = new ArrayList<>();
            for (int k = 0; k < p.plan().size(); k++) {
                if (p.plan().get(k).packKey().equals(packKey)) {
                    entries.add(p.plan().get(k));
                    ids.add(p.planIds().get(k));
                }
            }
            List<Future<byte[]>> checks = new ArrayList<>();
            for (Range r : localRanges(entries, ids)) {
                checks.add(readers.submit(() -> readLocal(r)));
            }
            for (Future<byte[]> c : checks) {
                await(c);
            }
            Path link = local.tmpDir().resolve("push-link-" + UUID.randomUUID() + ".tmp");
            try {
                Files.createLink(link, source);
            } catch (IOException | UnsupportedOperationException ex) {
                log.debug("repacking for {}: cannot link {} ({})", remote, source, ex.toString());
                return linked;
            }
            retry.call("upload " + packKey, () -> {
                // writeFile consumes its file (links it into the remote's tmp/, syncs, renames): a link per attempt
                Path attempt = Files.exists(link) ? link : Files.createLink(local.tmpDir().resolve("push-link-"
                        + UUID.randomUUID() + ".tmp"), source);
                remote.backend().writeFile(packKey, attempt);
                return null;
            });
            sent.addAndGet(records.packSize());
            listener.bytesDone(records.packSize());
            uploadIndex(records, retry, sent);
            linked++;
        }
        return linked;
    }

    /**
     * Sends the manifests of an upload as soon as their chunks are in indexed remote packs, while
     * later packs still go up: files in plan order, each released once the planned chunks before
     * its last one are durable on the remote, many at once (one small request each).
     */
    private final class ManifestSender {
        private final List<Oid> files;
        private final int[] readyAfter;
        private final ExecutorService pool;
        private final Retry retry;
        private final AtomicLong sent;
        private final List<Future<?>> pending = new ArrayList<>();
        private int next;

        ManifestSender(List<Oid> files, int[] readyAfter, ExecutorService pool, Retry retry, AtomicLong sent) {
            this.files = files;
            this.readyAfter = readyAfter;
            this.pool = pool;
            this.retry = retry;
            this.sent = sent;
        }

        /**
         * Queues the manifests of the files whose chunks are within the first {@code durable}
         * planned ones: in groups written together (a directory remote syncs a group's files at
         * once and each directory once), enough groups to keep {@value #SMALL_JOBS} requests going.
         */
        void release(int durable) {
            int from = next;
            while (next < files.size() && readyAfter[next] <= durable) {
                next++;
            }
            int group = Math.max(1, Math.min(MANIFEST_GROUP, (next - from + SMALL_JOBS - 1) / SMALL_JOBS));
            for (int start = from; start < next; start += group) {
                List<Oid> these = files.subList(start, Math.min(next, start + group));
                pending.add(pool.submit(() -> {
                    List<Map.Entry<String, byte[]>> objects = new ArrayList<>(these.size());
                    long bytes = 0;
                    for (Oid oid : these) {
                        String key = StoreLayout.manifestKey(oid);
                        byte[] data = local.backend().readAll(key);
                        objects.add(Map.entry(key, data));
                        bytes += data.length;
                    }
                    retry.call("upload " + objects.get(0).getKey() + (objects.size() > 1
                            ? " and " + (objects.size() - 1) + " more manifests" : ""), () -> {
                        remote.backend().writeAll(objects);
                        return null;
                    });
                    sent.addAndGet(bytes);
                    listener.bytesDone(bytes);
                    return null;
                }));
            }
        }

        void awaitAll() throws IOException {
            for (Future<?> f : pending) {
                await(f);
            }
        }
    }

    /**
     * The size of the packs an upload of {@code bytes} sends: small enough that there are at least
     * {@code 4 * jobs} of them, so the uploads keep {@code jobs} streams busy to the end instead of
     * one or two large packs going up alone, but not below {@link #MIN_UPLOAD_PACK}, nor above the
     * store's pack size.
     */
    static long uploadPackSize(long bytes, int jobs, long packSize) {
        return Math.min(packSize, Math.max(MIN_UPLOAD_PACK, bytes / (4L * jobs)));
    }

    /** Runs of planned chunks that lie back to back in one local pack, in plan order, at most 8 MiB each. */
    private static List<Range> localRanges(List<PackCatalog.Location> plan, List<byte[]> planIds) {
        List<Range> ranges = new ArrayList<>();
        Range current = null;
        for (int k = 0; k < plan.size(); k++) {
            PackCatalog.Location loc = plan.get(k);
            if (current == null || !loc.packKey().equals(current.packKey())
                    || loc.offset() != current.start() + current.length()
                    || current.length() + loc.entryLength() > MAX_RANGE) {
                current = new Range(loc.packKey(), loc.offset(), new ArrayList<>(), new ArrayList<>());
                ranges.add(current);
            }
            current.entries().add(loc);
            current.ids().add(planIds.get(k));
        }
        return ranges;
    }

    /** Reads a run of local pack entries with one call and checks each: a push never spreads a damaged chunk. */
    private byte[] readLocal(Range r) throws IOException {
        byte[] data = new byte[r.length()];
        local.backend().readSequential(r.packKey(), r.start(), data, 0, data.length);
        for (int k = 0; k < r.entries().size(); k++) {
            PackCatalog.Location loc = r.entries().get(k);
            PackCatalog.checkEntry(data, (int) (loc.offset() - r.start()), loc.raw(), loc.stored(), loc.compression(),
                    r.ids().get(k), 0, "local " + loc.packKey() + " at offset " + loc.offset());
        }
        return data;
    }

    /** Appends a read run's entries to the pack being built, sending the pack when it is full; returns the open pack. */
    private PackWriter repack(Range r, byte[] data, PackWriter pack, WriteBehind io, ExecutorService pool,
                              Deque<Future<Integer>> inFlight, List<Path> staged, AtomicLong sent, int[] packs)
            throws IOException {
        for (int k = 0; k < r.entries().size(); k++) {
            PackCatalog.Location loc = r.entries().get(k);
            if (pack != null && (pack.count() >= local.options().maxChunksPerPack()
                    || pack.size() + loc.entryLength() > uploadPackSize)) {
                submitUpload(pack, io, pool, inFlight, staged, sent, packs);
                pack = null;
            }
            if (pack == null) {
                pack = new PackWriter(newTempFile("push-pack"), io);
            }
            pack.add(r.ids().get(k), 0, loc.raw(), loc.compression(), data,
                    (int) (loc.offset() - r.start()) + PackFormat.ENTRY_HEADER_SIZE, loc.stored());
        }
        return pack;
    }

    /**
     * Writes again the remote manifests of files this push needs but does not send, when they are
     * old: the remote's gc keeps what is younger than its grace period, so a file that no ref on
     * the remote reached (and that gc could be about to remove) becomes young again before the
     * refs that need it are pushed. Git freshens reused objects for its own gc the same way.
     */
    private void freshen(List<String> keys, Retry retry) throws IOException {
        for (String key : keys) {
            byte[] data = null;
            if (local.backend().exists(key)) {
                try {
                    byte[] mine = local.backend().readAll(key);
                    Manifest.decode(key, mine);
                    data = mine;
                } catch (CorruptContentException e) {
                    // use the remote's copy
                }
            }
            if (data == null) {
                data = retry.call("read " + key, () -> remote.backend().readAll(key));
                Manifest.decode(remote + "/" + key, data); // never write back a damaged copy
            }
            byte[] copy = data;
            retry.call("refresh " + key, () -> {
                remote.backend().write(key, copy);
                return null;
            });
        }
    }

    private PackCatalog.Location localLocation(byte[] ids, int off) throws IOException {
        PackCatalog.Location loc = local.catalog().locate(ids, off);
        if (loc == null) {
            local.catalog().refresh();
            loc = local.catalog().locate(ids, off);
        }
        if (loc == null) {
            throw new ContentNotFoundException("chunk " + ChunkId.of(ids, off) + " is not in the local store;"
                    + " the store is damaged (run 'mlv store verify')");
        }
        return loc;
    }

    /** Finishes a pack and queues its upload (pack, then index); at most {@code jobs} at once. */
    private void submitUpload(PackWriter pack, WriteBehind io, ExecutorService pool, Deque<Future<Integer>> inFlight,
                              List<Path> staged, AtomicLong sent, int[] packs) throws IOException {
        // staged only to be sent: the remote makes it durable (a directory store syncs its copy)
        PackRecords records = pack.finish(false);
        io.drain();
        Path file = pack.file();
        staged.add(file);
        packedEntries += pack.count();
        int durableWhenDone = packedEntries;
        while (inFlight.size() >= jobs) {
            // packs are awaited in the order they were cut: when one is done, so are all before it
            manifestsOut.release(await(inFlight.removeFirst()));
        }
        Retry retry = remote.retry();
        inFlight.add(pool.submit(() -> {
            String packKey = StoreLayout.packKey(records.packId());
            retry.call("upload " + packKey, () -> {
                // writeFile consumes its file; each attempt gets its own link to the staged pack
                Path attempt = linkOrCopy(file);
                remote.backend().writeFile(packKey, attempt);
                return null;
            });
            sent.addAndGet(records.packSize());
            listener.bytesDone(records.packSize());
            uploadIndex(records, retry, sent);
            synchronized (packs) {
                packs[0]++;
            }
            Files.deleteIfExists(file);
            return durableWhenDone;
        }));
    }

    /** Sends the index of a pack now durable on the remote; its chunks then become findable there. */
    private void uploadIndex(PackRecords records, Retry retry, AtomicLong sent) throws IOException {
        byte[] index = PackFiles.encodeIndex(records);
        String indexKey = StoreLayout.indexKey(records.packId());
        retry.call("upload " + indexKey, () -> {
            remote.backend().write(indexKey, index);
            return null;
        });
        remote.backend().cacheIndex(indexKey, index);
        remote.catalog().register(records);
        sent.addAndGet(index.length);
        listener.bytesDone(index.length);
    }

    private Path linkOrCopy(Path file) throws IOException {
        Path copy = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            return Files.createLink(copy, file);
        } catch (IOException | UnsupportedOperationException e) {
            return Files.copy(file, copy);
        }
    }

    // ---------------------------------------------------------------- download

    /** One contiguous byte range of a remote pack and the entries it holds. */
    private record Range(String packKey, long start, List<PackCatalog.Location> entries, List<byte[]> ids) {
        int length() {
            PackCatalog.Location last = entries.get(entries.size() - 1);
            return (int) (last.offset() + last.entryLength() - start);
        }
    }

    /**
     * Fetches the files the local store lacks. Each chunk is checked against its id before it is
     * stored; a file's manifest is written only after all its chunks are in indexed local packs.
     */
    public TransferResult download(Iterable<Oid> oids) throws IOException {
        long start = System.nanoTime();
        Set<Oid> missing = new LinkedHashSet<>();
        long filesSkipped = 0;
        for (Oid oid : oids) {
            if (local.has(oid)) {
                filesSkipped++;
            } else {
                missing.add(oid);
            }
        }
        if (missing.isEmpty()) {
            return new TransferResult(0, filesSkipped, 0, 0, 0, 0, 0, 0, millis(start));
        }
        return fetchFiles(missing, filesSkipped, local.catalog().index(), missing, writeOut != null, start);
    }

    /**
     * Fetches files again for a repair of the local store: every chunk of theirs that {@code have}
     * (an index of the local packs that can be trusted) lacks is downloaded, checked and packed;
     * then the manifests of {@code writeManifests} (missing or damaged locally) are written.
     */
    TransferResult refetch(Collection<Oid> oids, ChunkLookup have, Set<Oid> writeManifests) throws IOException {
        return fetchFiles(new LinkedHashSet<>(oids), 0, have, writeManifests, false, System.nanoTime());
    }

    private TransferResult fetchFiles(Set<Oid> missing, long filesSkipped, ChunkLookup localIndex,
                                      Set<Oid> writeManifests, boolean writeFiles, long start) throws IOException {
        Retry retry = remote.retry();
        if (!remote.exists()) {
            throw new ContentNotFoundException("the remote store at " + remote + " holds no content yet (no "
                    + StoreConfig.KEY + "); push from a repository that has the content");
        }
        remote.refresh();
        Map<Oid, byte[]> manifests = downloadManifests(missing, retry);
        try (DownloadedFiles out = !writeFiles ? null : new DownloadedFiles(local.tmpDir())) {
            TransferResult result = fetchFiles(manifests, missing.size(), filesSkipped, localIndex, writeManifests, out, start,
                    retry);
            if (out != null) {
                written = out.handOver();
            }
            return result;
        }
    }

    private TransferResult fetchFiles(Map<Oid, byte[]> manifests, int files, long filesSkipped, ChunkLookup localIndex,
                                      Set<Oid> writeManifests, DownloadedFiles out, long start, Retry retry)
            throws IOException {
        AtomicLong received = new AtomicLong();
        ChunkIdSet planned = ChunkIdSet.exact();
        Map<String, List<Object[]>> byPack = new LinkedHashMap<>();
        long chunksSkipped = 0;
        long skippedBytes = 0;
        long chunks = 0;
        for (Map.Entry<Oid, byte[]> e : manifests.entrySet()) {
            Oid oid = e.getKey();
            byte[] data = e.getValue();
            String key = StoreLayout.manifestKey(oid);
            Manifest m = Manifest.decode(remote + "/" + key, data);
            if (!m.oid().equals(oid)) {
                throw new CorruptContentException("manifest " + key + " in " + remote + " describes file " + m.oid());
            }
            received.addAndGet(data.length);
            listener.bytesDone(data.length);
            byte[] ids = m.idBytes();
            boolean allFetched = true;
            for (int i = 0; i < m.chunkCount(); i++) {
                if (localIndex.find(ids, i * 32) >= 0) {
                    allFetched = false;
                    chunksSkipped++;
                    skippedBytes += m.chunkLength(i);
                    continue;
                }
                if (planned.contains(ids, i * 32)) {
                    chunksSkipped++;
                    skippedBytes += m.chunkLength(i);
                    continue;
                }
                PackCatalog.Location loc = remote.catalog().locate(ids, i * 32);
                if (loc == null) {
                    remote.refresh();
                    loc = remote.catalog().locate(ids, i * 32);
                }
                if (loc == null) {
                    throw new CorruptContentException("chunk " + ChunkId.of(ids, i * 32) + " of file " + oid
                            + " is in no pack of the remote store at " + remote + "; the remote store is damaged"
                            + " (push the file again from a repository that has it)");
                }
                planned.add(ids, i * 32);
                byPack.computeIfAbsent(loc.packKey(), k -> new ArrayList<>())
                        .add(new Object[] {loc, java.util.Arrays.copyOfRange(ids, i * 32, i * 32 + 32)});
                chunks++;
            }
            if (out != null && allFetched && writeOut.contains(oid)) {
                out.plan(m);
            }
        }
        List<Range> ranges = ranges(byPack);
        listener.totalKnown(received.get() + ranges.stream().mapToLong(Range::length).sum());
        int[] packs = {0};
        ExecutorService pool = Executors.newFixedThreadPool(jobs, daemon("mlv-download"));
        PackWriter[] pack = {null};
        try (LinkedPacks linked = LinkedPacks.link(remote.backend(), local, byPack);
             WriteBehind io = new WriteBehind(1 << 20, 4, false, 4096)) {
            Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
            Deque<Range> order = new ArrayDeque<>();
            for (Range r : ranges) {
                while (inFlight.size() >= jobs * 2) {
                    keep(order.removeFirst(), await(inFlight.removeFirst()), linked, pack, io, packs);
                }
                order.add(r);
                inFlight.add(pool.submit(fetch(r, retry, received, linked, out == null || out.isEmpty() ? null : out)));
            }
            while (!inFlight.isEmpty()) {
                keep(order.removeFirst(), await(inFlight.removeFirst()), linked, pack, io, packs);
            }
            if (pack[0] != null) {
                publishLocal(pack[0], io);
                pack[0] = null;
                packs[0]++;
            }
            packs[0] += linked.publish(local);
        } finally {
            pool.shutdownNow();
            if (pack[0] != null) {
                pack[0].close(); // the write-behind is closed: the unfinished pack can go
            }
        }
        // A manifest enters a store only once its file, rebuilt from chunks checked against their
        // ids, hashes to its oid: local reads then need not hash whole files again. A repair
        // checks every file it fetched for, and writes only the manifests it lacks. The manifests
        // are then written together: one sync pass for the batch, not two syncs per file.
        checkRebuilds(manifests, out);
        List<Map.Entry<String, byte[]>> admitted = new ArrayList<>();
        for (Map.Entry<Oid, byte[]> e : manifests.entrySet()) {
            if (writeManifests.contains(e.getKey())) {
                admitted.add(Map.entry(StoreLayout.manifestKey(e.getKey()), e.getValue()));
            }
        }
        local.backend().writeAll(admitted);
        return new TransferResult(files, filesSkipped, chunks, chunksSkipped, received.get(), skippedBytes,
                packs[0], ranges.size(), millis(start));
    }

    /**
     * Rebuilds every fetched file from the local packs and checks it against its oid, {@code jobs}
     * files at a time: a checkpoint of many small files is a file per read, each hashed on one
     * core, so one thread would leave the others idle. At most {@code jobs * 2} files are open at
     * once (each stream holds a few span buffers).
     */
    private void checkRebuilds(Map<Oid, byte[]> manifests, DownloadedFiles checkedAlready) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, manifests.size())), daemon("mlv-check"));
        try {
            Deque<Future<?>> inFlight = new ArrayDeque<>();
            for (Map.Entry<Oid, byte[]> e : manifests.entrySet()) {
                if (checkedAlready != null && checkedAlready.checked(e.getKey())) {
                    continue;
                }
                while (inFlight.size() >= jobs * 2) {
                    await(inFlight.removeFirst());
                }
                Manifest m = Manifest.decode(StoreLayout.manifestKey(e.getKey()), e.getValue());
                inFlight.add(pool.submit(() -> {
                    local.checkRebuilds(m);
                    return null;
                }));
            }
            while (!inFlight.isEmpty()) {
                await(inFlight.removeFirst());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Bytes of manifests in one bundle a push leaves on the remote: bounds the memory it takes. */
    static final int REMOTE_BUNDLE_BYTES = 8 << 20;

    /**
     * Leaves the manifests just sent on the remote once more, in bundles (format.md 6.2), so that a
     * pull of these files fetches them in a few requests instead of one each. Sent after every
     * one of them is there loose: a remote bundle only holds manifests the remote has.
     */
    private void sendBundles(List<Oid> files, Retry retry) throws IOException {
        java.util.SortedMap<Oid, ManifestBundle.Source> group = new java.util.TreeMap<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            byte[] data = local.backend().readAll(StoreLayout.manifestKey(files.get(i)));
            group.put(files.get(i), ManifestBundle.of(data));
            bytes += data.length;
            if (bytes >= REMOTE_BUNDLE_BYTES || i == files.size() - 1) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) bytes + 4096);
                ManifestBundle.write(java.nio.channels.Channels.newChannel(out), group);
                byte[] bundle = out.toByteArray();
                MessageDigest md = Sha256.newDigest();
                String key = StoreLayout.BUNDLES + Hex.encode(md.digest(bundle)) + StoreLayout.BUNDLE_SUFFIX;
                retry.call("upload " + key, () -> {
                    remote.backend().write(key, bundle);
                    return null;
                });
                group.clear();
                bytes = 0;
            }
        }
    }

    /**
     * The manifests of {@code oids} that the remote's bundles hold, each checked (its checksum,
     * its oid): newest bundles first, a table (two range reads) and then the wanted manifests in
     * runs of a few requests each. Reads at most one table per 16 files wanted, so a pull of a few
     * files from a remote of many bundles does not pay more than their own requests would; a
     * damaged bundle is skipped (the manifests are then fetched one by one).
     */
    private Map<Oid, byte[]> manifestsFromBundles(Set<Oid> oids, Retry retry) throws IOException {
        Map<Oid, byte[]> found = new HashMap<>();
        if (oids.size() < ManifestBundles.MIN_BATCH) {
            return found;
        }
        List<Backend.ObjectInfo> bundles = new ArrayList<>();
        for (Backend.ObjectInfo b : retry.call("list " + StoreLayout.BUNDLES,
                () -> remote.backend().listInfo(StoreLayout.BUNDLES))) {
            if (b.key().endsWith(StoreLayout.BUNDLE_SUFFIX)) {
                bundles.add(b);
            }
        }
        bundles.sort((a, b) -> b.lastModified().compareTo(a.lastModified()));
        int tables = Math.max(4, oids.size() / 16);
        for (Backend.ObjectInfo info : bundles) {
            if (found.size() == oids.size() || tables-- == 0) {
                break;
            }
            try {
                ManifestBundle b = retry.call("download " + info.key(), () -> ManifestBundle.read(remote.backend(), info));
                List<int[]> wanted = new ArrayList<>(); // entry, in offset order below
                for (Oid oid : oids) {
                    int i = found.containsKey(oid) ? -1 : b.find(oid.toBytes());
                    if (i >= 0) {
                        wanted.add(new int[] {i});
                    }
                }
                wanted.sort(java.util.Comparator.comparingLong(e -> b.offset(e[0])));
                int from = 0;
                while (from < wanted.size()) {
                    int to = from + 1;
                    long start = b.offset(wanted.get(from)[0]);
                    while (to < wanted.size() && b.offset(wanted.get(to)[0]) + b.length(wanted.get(to)[0]) - start <= MAX_RANGE
                            && b.offset(wanted.get(to)[0]) - (b.offset(wanted.get(to - 1)[0]) + b.length(wanted.get(to - 1)[0])) <= 64 << 10) {
                        to++;
                    }
                    int last = wanted.get(to - 1)[0];
                    int length = (int) (b.offset(last) + b.length(last) - start);
                    byte[] run = retry.call("download " + info.key(), () -> remote.backend().read(info.key(), start, length));
                    for (int[] e : wanted.subList(from, to)) {
                        int at = (int) (b.offset(e[0]) - start);
                        byte[] data = java.util.Arrays.copyOfRange(run, at, at + b.length(e[0]));
                        Oid oid = b.oid(e[0]);
                        try {
                            if (Manifest.decode(info.key(), data).oid().equals(oid)) {
                                found.put(oid, data);
                            }
                        } catch (CorruptContentException bad) {
                            log.warn("a manifest in {} of {} is damaged; fetching it on its own: {}", info.key(), remote,
                                    bad.getMessage());
                        }
                    }
                    from = to;
                }
            } catch (CorruptContentException | ContentNotFoundException e) {
                log.warn("skipping manifest bundle {} of {}: {}", info.key(), remote, e.getMessage());
            }
        }
        return found;
    }

    /**
     * The remote manifests of {@code oids}, in their order: those its bundles hold first (a few
     * requests), the rest fetched {@value #SMALL_JOBS} at a time: a manifest is one small request
     * each, whose cost is the round trip, not the bytes.
     */
    private Map<Oid, byte[]> downloadManifests(Set<Oid> oids, Retry retry) throws IOException {
        Map<Oid, byte[]> bundled = manifestsFromBundles(oids, retry);
        Map<Oid, Future<byte[]>> pending = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(SMALL_JOBS, oids.size())), daemon("mlv-download"));
        try {
            for (Oid oid : oids) {
                byte[] known = bundled.get(oid);
                if (known != null) {
                    pending.put(oid, java.util.concurrent.CompletableFuture.completedFuture(known));
                    continue;
                }
                String key = StoreLayout.manifestKey(oid);
                pending.put(oid, pool.submit(() -> {
                    try {
                        return retry.call("download " + key, () -> remote.backend().readAll(key));
                    } catch (ContentNotFoundException e) {
                        throw new ContentNotFoundException("file " + oid + " is not in the remote store at " + remote
                                + "; push it from a repository that has it");
                    }
                }));
            }
            Map<Oid, byte[]> manifests = new LinkedHashMap<>();
            for (Map.Entry<Oid, Future<byte[]>> e : pending.entrySet()) {
                manifests.put(e.getKey(), await(e.getValue()));
            }
            return manifests;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Groups the chunks of each pack into contiguous byte ranges (entries that touch), at most 8 MiB each. */
    private static List<Range> ranges(Map<String, List<Object[]>> byPack) {
        List<Range> ranges = new ArrayList<>();
        for (Map.Entry<String, List<Object[]>> e : byPack.entrySet()) {
            List<Object[]> entries = e.getValue();
            entries.sort(Comparator.comparingLong(o -> ((PackCatalog.Location) o[0]).offset()));
            Range current = null;
            for (Object[] o : entries) {
                PackCatalog.Location loc = (PackCatalog.Location) o[0];
                if (current == null || loc.offset() != current.start() + current.length()
                        || current.length() + loc.entryLength() > MAX_RANGE) {
                    current = new Range(e.getKey(), loc.offset(), new ArrayList<>(), new ArrayList<>());
                    ranges.add(current);
                }
                current.entries().add(loc);
                current.ids().add((byte[]) o[1]);
            }
        }
        return ranges;
    }

    /**
     * Reads a range (from the local link when its pack is {@code linked}) and checks each chunk
     * against its id; the chunks of files written out whole go to {@code out} too.
     */
    private Callable<byte[]> fetch(Range r, Retry retry, AtomicLong received, LinkedPacks linked, DownloadedFiles out) {
        return () -> {
            byte[] data = linked.has(r.packKey()) ? linked.read(r.packKey(), r.start(), r.length())
                    : retry.call("read " + r.packKey(), () -> remote.backend().read(r.packKey(), r.start(), r.length()));
            MessageDigest sha = Sha256.newDigest();
            try (DownloadedFiles.Batch batch = out == null ? null : out.batch()) {
                for (int k = 0; k < r.entries().size(); k++) {
                    PackCatalog.Location loc = r.entries().get(k);
                    int at = (int) (loc.offset() - r.start());
                    byte[] raw = PackCatalog.decodeEntry(data, at, loc.raw(), loc.stored(), loc.compression(), r.ids().get(k), 0,
                            remote + "/" + r.packKey(), loc.offset(), sha);
                    if (batch != null) {
                        batch.write(r.ids().get(k), raw, raw == data ? at + PackFormat.ENTRY_HEADER_SIZE : 0, loc.raw());
                    }
                }
                if (batch != null) {
                    batch.finish();
                }
            }
            received.addAndGet(data.length);
            listener.bytesDone(data.length);
            return data;
        };
    }

    /** Keeps a fetched, checked range: in the local pack being written, unless its whole pack is linked. */
    private void keep(Range r, byte[] data, LinkedPacks linked, PackWriter[] pack, WriteBehind io, int[] packs)
            throws IOException {
        if (!linked.has(r.packKey())) {
            store(r, data, pack, io, packs);
        }
    }

    /** Appends a fetched, checked range's entries to the local pack being written. */
    private void store(Range r, byte[] data, PackWriter[] pack, WriteBehind io, int[] packs) throws IOException {
        for (int k = 0; k < r.entries().size(); k++) {
            PackCatalog.Location loc = r.entries().get(k);
            int at = (int) (loc.offset() - r.start());
            if (pack[0] != null && (pack[0].count() >= local.options().maxChunksPerPack()
                    || pack[0].size() + loc.entryLength() > local.options().packSize())) {
                publishLocal(pack[0], io);
                pack[0] = null;
                packs[0]++;
            }
            if (pack[0] == null) {
                pack[0] = new PackWriter(newTempFile("fetch-pack"), io);
            }
            pack[0].add(r.ids().get(k), 0, loc.raw(), loc.compression(), data, at + PackFormat.ENTRY_HEADER_SIZE,
                    loc.stored());
        }
    }

    /** Pack, then index, then the chunks become visible: the local store's usual order. */
    private void publishLocal(PackWriter pack, WriteBehind io) throws IOException {
        PackRecords records = pack.finish();
        io.drain();
        local.backend().writeFile(StoreLayout.packKey(records.packId()), pack.file());
        local.backend().write(StoreLayout.indexKey(records.packId()), PackFiles.encodeIndex(records));
        local.catalog().register(records);
        local.catalog().wroteThroughCache(StoreLayout.packKey(records.packId()));
    }

    // ---------------------------------------------------------------- helpers

    private Path newTempFile(String kind) throws IOException {
        return Files.createFile(local.tmpDir().resolve(kind + "-" + UUID.randomUUID() + ".tmp"));
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("transfer interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException("transfer failed: " + c, c);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
