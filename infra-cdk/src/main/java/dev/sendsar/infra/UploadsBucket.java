package dev.sendsar.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import dev.sendsar.domain.Upload;
import software.constructs.Construct;

import java.util.List;

/**
 * File uploads: private, reached only through presigned URLs. Browsers PUT straight to S3, hence CORS; multipart
 * uploads a client abandons would otherwise be billed forever, and so would objects of uploads never completed (PUT
 * to {@code Upload.PENDING_PREFIX}, moved out by complete), hence the lifecycle rules.
 */
public class UploadsBucket extends Construct {
    /**
     * Where the code puts every object: {@code t/{tenantId}/{uploadId}} ({@code Upload.objectKey}). Object grants
     * cover this prefix only.
     */
    public static final String OBJECT_PREFIX = "t/";

    private final Bucket bucket;

    public UploadsBucket(Construct scope, String id, List<String> corsOrigins, boolean retainData) {
        super(scope, id);
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .cors(List.of(CorsRule.builder()
                        .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD))
                        .allowedOrigins(corsOrigins)
                        .allowedHeaders(List.of("*"))
                        .exposedHeaders(List.of("ETag"))
                        .maxAge(3000)
                        .build()))
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("abort-incomplete-multipart-uploads")
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build(), LifecycleRule.builder()
                        // complete moves the bytes out of here; what stays was never completed (or PUT again after)
                        .id("expire-uploads-never-completed")
                        .prefix(Upload.PENDING_PREFIX)
                        .expiration(Duration.days(Upload.PENDING_OBJECT_DAYS))
                        .build()))
                .removalPolicy(retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .autoDeleteObjects(!retainData)
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }

    /** The ARN pattern of every object the functions may touch. */
    public String objectsArn() {
        return bucket.arnForObjects(OBJECT_PREFIX + "*");
    }
}
