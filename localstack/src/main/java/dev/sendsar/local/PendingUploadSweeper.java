package dev.sendsar.local;

import dev.sendsar.domain.Upload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-in for the uploads bucket's lifecycle rule (s3proxy has none): every hour it deletes objects under
 * {@link Upload#PENDING_PREFIX} older than {@link Upload#PENDING_OBJECT_DAYS}, i.e. uploads never completed.
 */
final class PendingUploadSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingUploadSweeper.class);

    private final S3Client s3;
    private final String bucket;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pending-upload-sweeper");
        t.setDaemon(true);
        return t;
    });

    PendingUploadSweeper(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    PendingUploadSweeper start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep(Instant.now().minus(Duration.ofDays(Upload.PENDING_OBJECT_DAYS)));
            } catch (RuntimeException e) {
                LOG.warn("Sweeping abandoned uploads failed: {}", e.toString());
            }
        }, 1, 60, TimeUnit.MINUTES);
        return this;
    }

    /** Deletes the pending objects last written before {@code cutoff}; returns how many. */
    int sweep(Instant cutoff) {
        int deleted = 0;
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(Upload.PENDING_PREFIX)).contents()) {
            if (object.lastModified().isBefore(cutoff)) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
