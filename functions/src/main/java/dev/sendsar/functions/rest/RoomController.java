package dev.sendsar.functions.rest;

import dev.sendsar.functions.lambda.FunctionRoute;
import dev.sendsar.functions.security.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.annotation.Secured;
import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Message;
import dev.sendsar.routes.RouteTable;
import dev.sendsar.service.MessageService;
import dev.sendsar.service.ReceiptService;
import dev.sendsar.service.RoomService;
import dev.sendsar.service.RoomViews;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.util.Map;

/** Rooms and their timelines. */
@ApiErrors.Standard
@Requires(condition = FunctionRoute.class)
@Controller("/v1/chat/rooms")
public class RoomController {
    private final RoomService rooms;
    private final MessageService messages;
    private final ReceiptService receipts;

    public RoomController(RoomService rooms, MessageService messages, ReceiptService receipts) {
        this.rooms = rooms;
        this.messages = messages;
        this.receipts = receipts;
    }

    /** 201 with a new room; 200 with the existing one when the externalId is already taken. */
    @Secured(Roles.API_KEY)
    @Post
    @ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "The existing room with this externalId", useReturnTypeSchema = true)
    public HttpResponse<RoomViews.RoomDetail> create(Caller caller, @Nullable @Body RoomService.CreateRoomRequest request) {
        RoomService.Created result = rooms.create(caller, request);
        return result.created() ? HttpResponse.created(result.room()) : HttpResponse.ok(result.room());
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Get
    public RoomViews.RoomList list(Caller caller, @Nullable @QueryValue String participantId,
                                   @Nullable @QueryValue String externalId, @Nullable @QueryValue String customTypesFilter,
                                   @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return rooms.list(caller, participantId, externalId, customTypesFilter, limit, cursor);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Get("/{roomId}")
    @ApiErrors.NotFound
    public RoomViews.RoomDetail get(Caller caller, String roomId) {
        return rooms.get(caller, roomId);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Patch("/{roomId}")
    public RoomViews.RoomDetail update(Caller caller, String roomId, @Nullable @Body RoomService.UpdateRoomRequest request) {
        return rooms.update(caller, roomId, request);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Post("/{roomId}/participants")
    public RoomViews.RoomDetail addParticipant(Caller caller, String roomId, @Nullable @Body RoomService.AddParticipantRequest request) {
        return rooms.addParticipant(caller, roomId, request);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Patch("/{roomId}/participants/{userId}")
    public RoomViews.RoomDetail changeRole(Caller caller, String roomId, String userId, @Nullable @Body RoomService.RoleRequest request) {
        return rooms.changeRole(caller, roomId, userId, request);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Delete("/{roomId}/participants/{userId}")
    public RoomViews.RoomDetail removeParticipant(Caller caller, String roomId, String userId) {
        return rooms.removeParticipant(caller, roomId, userId);
    }

    @Secured(Roles.USER)
    @Delete("/{roomId}/for-me")
    public RoomService.ForMeResult deleteForMe(Caller caller, String roomId) {
        return rooms.deleteForMe(caller, roomId);
    }

    @Secured(Roles.USER)
    @Post("/{roomId}/clear-history")
    public RoomService.ClearedHistory clearHistory(Caller caller, String roomId) {
        return rooms.clearHistory(caller, roomId);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Post("/{roomId}/read")
    public Map<String, Object> read(Caller caller, String roomId, @Nullable @Body ReceiptService.ReadRequest request) {
        return receipts.read(caller, roomId, request);
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Post("/{roomId}/delivery")
    public Map<String, Object> delivered(Caller caller, String roomId, @Nullable @Body ReceiptService.DeliveredRequest request) {
        return receipts.delivered(caller, roomId, request);
    }

    /** 201 with the new message; 200 with the original when the clientMessageId was sent before. */
    @Secured({Roles.API_KEY, Roles.USER})
    @Post("/{roomId}/messages")
    @ApiErrors.NotFound
    @ApiResponse(responseCode = "201", description = "Sent", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "The original message with this clientMessageId", useReturnTypeSchema = true)
    public HttpResponse<Message> send(Caller caller, String roomId, @Nullable @Body MessageService.SendMessageRequest request,
                                      @Parameter(description = ApiDocumentation.SENDER_CONNECTION)
                                      @Nullable @Header(RouteTable.SENDER_CONNECTION_HEADER) String senderConnectionId) {
        MessageService.Sent sent = messages.send(caller, roomId, request, senderConnectionId);
        return sent.created() ? HttpResponse.created(sent.message()) : HttpResponse.ok(sent.message());
    }

    @Secured({Roles.API_KEY, Roles.USER})
    @Get("/{roomId}/messages")
    @ApiErrors.NotFound
    public MessageService.MessagePage list(Caller caller, String roomId, @Nullable @QueryValue String viewerId,
                                           @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit,
                                           @Nullable @QueryValue Long afterSeq) {
        return messages.list(caller, roomId, viewerId, cursor, limit, afterSeq);
    }
}
