package dev.sendsar.s3;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.ports.ObjectStorage;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Uploads in one private S3 bucket ({@code sendsar.uploads-bucket}); clients reach objects only by presigned URL. */
@Singleton
public class S3ObjectStorage implements ObjectStorage {
    private final BeanProvider<S3Client> s3;
    private final BeanProvider<S3Presigner> presigner;
    private final String bucket;

    public S3ObjectStorage(BeanProvider<S3Client> s3, BeanProvider<S3Presigner> presigner, SendsarConfig config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = config.getUploadsBucket();
    }

    @Override
    public PresignedUrl presignPut(String key, String contentType, long sizeBytes, Duration ttl) {
        // Content-Type and Content-Length are signed headers: a PUT of another type or size is refused (403)
        PresignedPutObjectRequest signed = presigner.get().presignPutObject(b -> b.signatureDuration(ttl)
                .putObjectRequest(p -> p.bucket(bucket()).key(key).contentType(contentType).contentLength(sizeBytes)));
        return new PresignedUrl(signed.url().toString(), signed.expiration());
    }

    @Override
    public PresignedUrl presignGet(String key, String filename, Duration ttl) {
        PresignedGetObjectRequest signed = presigner.get().presignGetObject(b -> b.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket()).key(key).responseContentDisposition(disposition(filename))));
        return new PresignedUrl(signed.url().toString(), signed.expiration());
    }

    @Override
    public Optional<StoredObject> head(String key) {
        try {
            var head = s3.get().headObject(b -> b.bucket(bucket()).key(key));
            return Optional.of(new StoredObject(head.contentLength(), head.eTag()));
        } catch (NoSuchKeyException absent) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public boolean copy(String fromKey, String etag, String toKey) {
        try {
            s3.get().copyObject(b -> b.sourceBucket(bucket()).sourceKey(fromKey).copySourceIfMatch(etag)
                    .destinationBucket(bucket()).destinationKey(toKey));
            return true;
        } catch (NoSuchKeyException gone) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void delete(String key) {
        s3.get().deleteObject(b -> b.bucket(bucket()).key(key));
    }

    private String bucket() {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException("sendsar.uploads-bucket (SENDSAR_UPLOADS_BUCKET) is not set");
        }
        return bucket;
    }

    /** Inline, so images and videos show in a page; RFC 6266 {@code filename*} keeps any name intact. */
    private static String disposition(String filename) {
        String name = filename == null ? "file" : filename;
        return "inline; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
