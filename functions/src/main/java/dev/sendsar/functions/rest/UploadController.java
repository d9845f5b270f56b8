package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.domain.Caller;
import dev.sendsar.service.UploadService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

/** Media uploads: presigned PUT to object storage, complete, abort, presigned GET for readers. */
@ApiErrors.Standard
@Requires(condition = FunctionRoute.class)
@Controller("/v1/chat/uploads")
public class UploadController {
    private final UploadService uploads;

    public UploadController(UploadService uploads) {
        this.uploads = uploads;
    }

    @Secured(Roles.USER)
    @Post("/presign")
    public UploadService.PresignResponse presign(Caller caller, @Nullable @Body UploadService.PresignRequest request) {
        return uploads.presign(caller, request);
    }

    @Secured(Roles.USER)
    @Post("/{uploadId}/complete")
    public UploadService.CompleteResponse complete(Caller caller, String uploadId) {
        return uploads.complete(caller, uploadId);
    }

    @Secured(Roles.USER)
    @Delete("/{uploadId}")
    public HttpResponse<Void> abort(Caller caller, String uploadId) {
        uploads.abort(caller, uploadId);
        return HttpResponse.noContent();
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Get("/{uploadId}/access")
    public UploadService.AccessUrl access(Caller caller, String uploadId) {
        return uploads.access(caller, uploadId);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Post("/access")
    public UploadService.AccessUrls accessMany(Caller caller, @Nullable @Body UploadService.AccessRequest request) {
        return uploads.accessMany(caller, request);
    }
}
