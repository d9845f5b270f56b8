package dev.sendsar.functions.snapstart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sendsar.config.AwsClientFactory;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.error.ApiException;
import dev.sendsar.functions.lambda.ClassPreloader;
import dev.sendsar.functions.security.SessionTokenValidation;
import dev.sendsar.domain.Ids;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Times;
import dev.sendsar.json.Json;
import dev.sendsar.service.RealtimePublisher;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * SnapStart priming. Before Lambda snapshots an initialized function, it runs the local work of the hot paths
 * (send message, {@code $connect}): message and frame JSON both ways, and a session token through the token validator
 * (signed with a throwaway key, since functions hold only public keys: the signature check then refuses it) and an
 * ES256 verification, and one of each DynamoDB request and response the hot paths make, which initialises their model
 * classes (each field's getter and setter a lambda spun at run time), then each kind of call those paths make, through
 * clients built as the real ones whose HTTP client answers in this process ({@link #primeCalls}). It also builds the
 * {@code @connections} client where one is configured (adapters build their clients on first use, see
 * {@code AwsClientFactory}, and a send posts frames through it). Last, the handler's own route is sent a request whose
 * token is refused ({@link #primeRequests(ToIntFunction)}). The snapshot then holds those classes loaded and their
 * code warm, so a restored function does not pay for them on its first request.
 * Nothing here touches the network or resolves credentials: a snapshot must hold neither connections nor secrets.
 */
@Context
@Requires(property = "sendsar.snapstart-priming", notEquals = "false")
public class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    static final int ROUNDS = 50;
    /** Rounds of the calls: enough for the call path's code to be compiled (C1) before the snapshot. */
    static final int CALL_ROUNDS = 30;

    private final Json json;
    /** Resolved only when priming runs: building the validator at context start would slow every cold start. */
    private final BeanProvider<SessionTokenValidation> sessionTokens;

    private final SendsarConfig config;
    private final BeanProvider<ApiGatewayManagementApiClient> connections;
    private final List<ToIntFunction<String>> requests = new CopyOnWriteArrayList<>();

    public SnapStartPriming(Json json, BeanProvider<SessionTokenValidation> sessionTokens, SendsarConfig config,
                            BeanProvider<ApiGatewayManagementApiClient> connections) {
        this.json = json;
        this.sessionTokens = sessionTokens;
        this.config = config;
        this.connections = connections;
        Core.getGlobalContext().register(this);
    }

    /**
     * Has {@code request} run {@link #ROUNDS} times before the snapshot, each time with a session token signed by a
     * key no function knows. A handler registers its own route's request: its whole path to the refusal (the event,
     * routing, filters, the token check, the error answer) is then warm in the snapshot, and nothing is read or
     * written, because the signature is refused before any lookup.
     */
    public void primeRequests(ToIntFunction<String> request) {
        requests.add(request);
    }

    /**
     * Runs the registered requests, {@link #ROUNDS} rounds; returns how many were answered 401. A request answered
     * otherwise got past every check, so it is not run again: a second run must not risk doing a route's work. Only
     * the routes that take no session token answer otherwise, once, and read configuration only: the JWKS, the
     * realtime URL, and LiveKit's webhook while no media server is configured (with one, its signature check
     * answers 401 and changes nothing).
     */
    int primeRequests() {
        String refused = sessionToken(throwawayKey());
        int answered401 = 0;
        for (int i = 0; i < ROUNDS; i++) {
            for (ToIntFunction<String> request : requests) {
                int status = request.applyAsInt(refused);
                if (status == 401) {
                    answered401++;
                } else {
                    LOG.info("Primed a request answered {}, not 401 (a route that takes no session token): not run again", status);
                    requests.remove(request);
                }
            }
        }
        return answered401;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        long started = System.nanoTime();
        ClassPreloader.awaitRunning(java.time.Duration.ofSeconds(10)); // the snapshot then holds every listed class
        int rounds = prime();
        if (config.getWsCallbackUrl() != null) {
            connections.get();
        }
        primeRequests();
        LOG.info("Primed {} rounds before the snapshot in {} ms", rounds, (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to reopen: priming made no connections
    }

    /** Runs the hot paths' local work; returns how many rounds ran. */
    int prime() {
        ECKey throwaway = throwawayKey();
        for (int i = 0; i < ROUNDS; i++) {
            Message message = Message.posted(Ids.messageId(i + 1L), Ids.uuid(), i + 1L, "priming",
                    List.of(Map.of("type", "text", "text", "priming " + i)), "priming", null, Times.now(), null);
            String frame = json.write(new RealtimePublisher.Frame("new-message", message));
            try {
                json.read(json.write(message), Message.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.readMap(frame);
            primeSessionToken(throwaway);
        }
        primeDynamoDbModels();
        primeCalls();
        return ROUNDS;
    }

    /**
     * Runs each kind of DynamoDB call the hot paths make (a refused put and update among them: a lost seq race, a
     * claim held, a limit reached) and a post to a socket through clients built as the real ones but answered in this
     * process ({@link OfflineAnswers}), {@link #CALL_ROUNDS} times: the SDK's call path (marshalling, endpoint rules,
     * signing, timeouts, unmarshalling, the error path) is then loaded and compiled in the snapshot, where the first
     * request after a restore found it cold. Nothing leaves the process and no credential is resolved. Returns the
     * calls made.
     */
    int primeCalls() {
        OfflineAnswers answers = new OfflineAnswers();
        Map<String, AttributeValue> key = Map.of("PK", AttributeValue.fromS("priming"), "SK", AttributeValue.fromS("priming"));
        Map<String, AttributeValue> one = Map.of(":one", AttributeValue.fromN("1"));
        try (DynamoDbClient dynamo = AwsClientFactory.offlineDynamoDb(config, answers)) {
            for (int i = 0; i < CALL_ROUNDS; i++) {
                dynamo.getItem(b -> b.tableName("priming").key(key).consistentRead(true));
                dynamo.query(b -> b.tableName("priming").keyConditionExpression("PK = :one").expressionAttributeValues(one).limit(2));
                dynamo.batchGetItem(b -> b.requestItems(Map.of("priming", KeysAndAttributes.builder().keys(List.of(key)).build())));
                dynamo.putItem(b -> b.tableName("priming").item(key).conditionExpression("attribute_not_exists(PK)"));
                dynamo.updateItem(b -> b.tableName("priming").key(key).updateExpression("ADD n :one").expressionAttributeValues(one)
                        .returnValues(ReturnValue.UPDATED_NEW));
                dynamo.deleteItem(b -> b.tableName("priming").key(key));
                dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                        .put(Put.builder().tableName("priming").item(key).build()).build()));
                refused(answers, () -> dynamo.putItem(b -> b.tableName("priming").item(key).conditionExpression("attribute_not_exists(PK)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
                refused(answers, () -> dynamo.updateItem(b -> b.tableName("priming").key(key).updateExpression("ADD n :one")
                        .conditionExpression("n < :one").expressionAttributeValues(one)));
            }
        }
        if (config.getWsCallbackUrl() != null) {
            try (ApiGatewayManagementApiClient sockets = AwsClientFactory.offlineManagementApi(config, answers)) {
                for (int i = 0; i < CALL_ROUNDS; i++) {
                    sockets.postToConnection(b -> b.connectionId("priming").data(SdkBytes.fromUtf8String("{}")));
                }
            }
        }
        return answers.calls();
    }

    private static void refused(OfflineAnswers answers, Runnable call) {
        answers.refuseNext();
        try {
            call.run();
            throw new IllegalStateException("A refused priming call succeeded");
        } catch (ConditionalCheckFailedException expected) {
            // the error path of a conditional write
        }
    }

    /**
     * Builds one of each DynamoDB request and response a send or a {@code $connect} makes and reads every field back:
     * what the first call would otherwise initialise on the request's critical path. No client is involved.
     */
    private static void primeDynamoDbModels() {
        Map<String, AttributeValue> item = Map.of("PK", AttributeValue.fromS("priming"), "SK", AttributeValue.fromS("priming"),
                "n", AttributeValue.fromN("1"), "ss", AttributeValue.fromSs(List.of("a")), "m", AttributeValue.fromM(Map.of(
                        "l", AttributeValue.fromL(List.of(AttributeValue.fromBool(true))))));
        Map<String, String> names = Map.of("#n", "n");
        Map<String, AttributeValue> values = Map.of(":one", AttributeValue.fromN("1"));
        List<SdkPojo> models = List.of(
                GetItemRequest.builder().tableName("priming").key(item).consistentRead(true)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build(),
                GetItemResponse.builder().item(item).consumedCapacity(ConsumedCapacity.builder().capacityUnits(1.0).build()).build(),
                PutItemRequest.builder().tableName("priming").item(item).conditionExpression("attribute_not_exists(PK)")
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build(),
                PutItemResponse.builder().attributes(item).build(),
                UpdateItemRequest.builder().tableName("priming").key(item).updateExpression("ADD #n :one")
                        .conditionExpression("#n < :one").expressionAttributeNames(names).expressionAttributeValues(values)
                        .returnValues(ReturnValue.UPDATED_NEW).build(),
                UpdateItemResponse.builder().attributes(item).build(),
                DeleteItemRequest.builder().tableName("priming").key(item).build(),
                DeleteItemResponse.builder().attributes(item).build(),
                QueryRequest.builder().tableName("priming").keyConditionExpression("PK = :one").expressionAttributeValues(values)
                        .exclusiveStartKey(item).limit(1).scanIndexForward(false).build(),
                QueryResponse.builder().items(List.of(item)).lastEvaluatedKey(item).count(1).build(),
                BatchGetItemRequest.builder().requestItems(Map.of("priming", KeysAndAttributes.builder().keys(List.of(item))
                        .projectionExpression("PK").build())).build(),
                BatchGetItemResponse.builder().responses(Map.of("priming", List.of(item)))
                        .unprocessedKeys(Map.of("priming", KeysAndAttributes.builder().keys(List.of(item)).build())).build());
        for (SdkPojo model : models) {
            for (SdkField<?> field : model.sdkFields()) {
                field.getValueOrDefault(model);
            }
        }
    }

    private void primeSessionToken(ECKey key) {
        try {
            sessionTokens.get().user(sessionToken(key));
            throw new IllegalStateException("A token signed with a throwaway key passed validation");
        } catch (ApiException refused) {
            // expected: the key is not one of the session keys
        }
    }

    /** A session token signed (and checked) with {@code key}, which no function knows. */
    private static String sessionToken(ECKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().subject("priming").expirationTime(new java.util.Date()).build());
            jwt.sign(new ECDSASigner(key));
            jwt.verify(new ECDSAVerifier(key.toPublicJWK()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey throwawayKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("priming").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
