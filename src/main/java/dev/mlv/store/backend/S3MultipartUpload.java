package dev.mlv.store.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads a local file as one S3 object in parts, streaming each part from the file so memory stays
 * bounded whatever the file's size. The object appears only when the upload completes (atomic, like
 * a PUT); a failed upload is aborted so the bucket does not keep its parts.
 */
final class S3MultipartUpload {
    private static final Logger log = LoggerFactory.getLogger(S3MultipartUpload.class);

    private final S3Client s3;
    private final String bucket;
    private final String name;
    private final Path file;
    private final long size;
    private final long partSize;

    S3MultipartUpload(S3Client s3, String bucket, String name, Path file, long size, long partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.name = name;
        this.file = file;
        this.size = size;
        this.partSize = partSize;
    }

    void run() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(name)).uploadId();
        log.debug("multipart upload of '{}': {} bytes in parts of {}", name, size, partSize);
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                try (FileSlice slice = new FileSlice(file, offset, length)) {
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(name).uploadId(uploadId)
                                    .partNumber(partNumber).contentLength(length),
                            RequestBody.fromContentProvider(slice, length, "application/octet-stream")).eTag();
                    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                }
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
        } finally {
            if (!completed) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId));
                } catch (SdkException e) {
                    log.warn("could not abort the multipart upload of '{}': {}; its parts stay in the bucket"
                            + " until 'mlv gc --remote' or a lifecycle rule removes them", name, e.getMessage());
                }
            }
        }
    }

    /**
     * One part's bytes, re-readable from the start for the SDK's retries; each new stream closes the
     * previous one.
     */
    private static final class FileSlice implements ContentStreamProvider, AutoCloseable {
        private final Path file;
        private final long offset;
        private final long length;
        private SliceStream current;

        FileSlice(Path file, long offset, long length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public InputStream newStream() {
            close();
            try {
                current = new SliceStream(FileChannel.open(file, StandardOpenOption.READ), offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return current;
        }

        @Override
        public void close() {
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    log.debug("closing {}: {}", file, e.toString());
                }
                current = null;
            }
        }
    }

    /** Reads {@code [offset, offset + length)} of a file channel with positional reads. */
    private static final class SliceStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        SliceStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - position);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                throw new IOException("file shrank while uploading: expected data up to byte " + end);
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
