package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Message;
import dev.sendsar.routes.RouteTable;
import dev.sendsar.service.MessageActionService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;

/** Edit, delete, react to, pin and forward messages. */
@ApiErrors.Standard
@Secured({Roles.API_KEY, Roles.USER})
@Requires(condition = FunctionRoute.class)
@Controller("/v1/chat/rooms/{roomId}")
public class MessageActionController {
    private final MessageActionService actions;

    public MessageActionController(MessageActionService actions) {
        this.actions = actions;
    }

    @Patch("/messages/{messageId}")
    public Message edit(Caller caller, String roomId, String messageId, @Nullable @Body MessageActionService.EditRequest request) {
        return actions.edit(caller, roomId, messageId, request);
    }

    @Delete("/messages/{messageId}")
    public Message delete(Caller caller, String roomId, String messageId) {
        return actions.delete(caller, roomId, messageId);
    }

    @Post("/messages/{messageId}/reactions")
    public Message react(Caller caller, String roomId, String messageId, @Nullable @Body MessageActionService.ReactionRequest request) {
        return actions.react(caller, roomId, messageId, request);
    }

    /** {@code userId} names the acting user when the caller is an API key. */
    @Post("/messages/{messageId}/pin")
    public Message pin(Caller caller, String roomId, String messageId, @Nullable @QueryValue String userId) {
        return actions.pin(caller, roomId, messageId, userId, true);
    }

    @Delete("/messages/{messageId}/pin")
    public Message unpin(Caller caller, String roomId, String messageId, @Nullable @QueryValue String userId) {
        return actions.pin(caller, roomId, messageId, userId, false);
    }

    @Get("/pinned-messages")
    public MessageActionService.MessageList pinned(Caller caller, String roomId, @Nullable @QueryValue String viewerId) {
        return actions.pinned(caller, roomId, viewerId);
    }

    @Post("/messages/{messageId}/forward")
    public MessageActionService.MessageList forward(Caller caller, String roomId, String messageId,
                                                    @Nullable @Body MessageActionService.ForwardRequest request,
                                                    @Parameter(description = ApiDocumentation.SENDER_CONNECTION)
                                                    @Nullable @Header(RouteTable.SENDER_CONNECTION_HEADER) String senderConnectionId) {
        return actions.forward(caller, roomId, messageId, request, senderConnectionId);
    }
}
