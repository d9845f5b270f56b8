package dev.sendsar.infra;

import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.routes.LambdaJvm;
import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.Stack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synthesized templates of the default deployment, the parent's and every nested route stack's read as one (see
 * {@link StackTemplates}); the stack is built once because jsii starts slowly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class SendsarStackTest {
    private final SendsarStack stack = TestApps.Default.STACK;
    private final StackTemplates t = TestApps.Default.TEMPLATES;

    @Test
    void deploysOneFunctionPerRouteOfTheRouteTable_andNoMore() {
        Map<String, Map<String, Object>> functions = t.findResources("AWS::Lambda::Function");
        assertEquals(RouteTable.HTTP.size() + RouteTable.WEBSOCKET.size() + RouteTable.WORKERS.size(), functions.size());
        List<String> descriptions = functions.values().stream().map(f -> (String) props(f).get("Description")).sorted().toList();
        List<String> expected = Stream.of(RouteTable.HTTP.stream().map(r -> "Sendsar " + r.routeKey()),
                RouteTable.WEBSOCKET.stream().map(r -> "Sendsar WebSocket " + r.routeKey()),
                RouteTable.WORKERS.stream().map(w -> "Sendsar worker " + w.name() + " ("
                        + (w.queue() == null ? "table stream" : "queue " + w.queue()) + ")")).flatMap(x -> x).sorted().toList();
        assertEquals(expected, descriptions);
    }

    @Test
    void httpApiServesEveryRestRoute_andUnknownRoutesFallToTheRestApp() {
        Set<String> routeKeys = routeKeysOf("Http");
        Set<String> expected = RouteTable.HTTP.stream().map(RouteTable.HttpRoute::routeKey).collect(Collectors.toSet());
        expected.add("$default");
        assertEquals(expected, routeKeys);
    }

    @Test
    void bothApis_writeAccessLogsByRouteKeyAndNeverTheRawPath() {
        Map<String, Map<String, Object>> stages = t.findResources("AWS::ApiGatewayV2::Stage");
        assertEquals(2, stages.size());
        for (Map<String, Object> stage : stages.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> logs = (Map<String, Object>) props(stage).get("AccessLogSettings");
            String format = (String) logs.get("Format");
            assertTrue(format.contains("$context.routeKey") && format.contains("$context.status"), format);
            assertTrue(!format.contains("$context.path") && !format.contains("querystring"), format);
        }
    }

    @Test
    void bothApiStages_areThrottled() {
        Map<String, Map<String, Object>> stages = t.findResources("AWS::ApiGatewayV2::Stage");
        assertEquals(2, stages.size());
        for (Map<String, Object> stage : stages.values()) {
            Map<String, Object> route = (Map<String, Object>) props(stage).get("DefaultRouteSettings");
            assertTrue(route != null && ((Number) route.get("ThrottlingRateLimit")).intValue() > 0
                    && ((Number) route.get("ThrottlingBurstLimit")).intValue() > 0, String.valueOf(props(stage)));
        }
    }

    @Test
    void webSocketApiHasConnectDisconnectAndEveryActionRoute() {
        Set<String> expected = RouteTable.WEBSOCKET.stream().map(RouteTable.WsRoute::routeKey).collect(Collectors.toSet());
        assertTrue(expected.containsAll(Set.of("$connect", "$disconnect", "$default", "hello", "join-room", "leave-room", "ping")));
        assertEquals(expected, routeKeysOf("WebSocket"));
        Map<String, Map<String, Object>> apis = t.findResources("AWS::ApiGatewayV2::Api");
        assertTrue(apis.values().stream().anyMatch(a -> "WEBSOCKET".equals(props(a).get("ProtocolType"))
                && "$request.body.action".equals(props(a).get("RouteSelectionExpression"))));
    }

    @Test
    void httpApiCors_letsABrowserNameItsSocketOnASend() {
        Map<String, Object> http = t.findResources("AWS::ApiGatewayV2::Api").values().stream().map(SendsarStackTest::props)
                .filter(p -> "HTTP".equals(p.get("ProtocolType"))).findFirst().orElseThrow();
        String cors = String.valueOf(http.get("CorsConfiguration"));
        assertTrue(cors.contains("x-sendsar-connection-id") && cors.contains("authorization") && cors.contains("x-api-key"), cors);
    }

    @Test
    void everyFunctionIsArm64Java21WithSnapStart() {
        for (Map<String, Object> f : t.findResources("AWS::Lambda::Function").values()) {
            Map<String, Object> p = props(f);
            assertEquals(List.of("arm64"), p.get("Architectures"));
            assertEquals("java21", p.get("Runtime"));
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), p.get("SnapStart"));
        }
    }

    /** Lambda writes no START/END/REPORT line per invocation (its INFO system logs); the functions' own lines still go. */
    @Test
    void everyFunctionLogsJson_withoutLambdasPerInvocationLines() {
        for (Map<String, Object> f : t.findResources("AWS::Lambda::Function").values()) {
            Map<String, Object> logging = (Map<String, Object>) props(f).get("LoggingConfig");
            assertEquals("JSON", logging.get("LogFormat"));
            assertEquals("WARN", logging.get("SystemLogLevel"));
            assertEquals(null, logging.get("ApplicationLogLevel"), "the functions' own lines are not filtered");
        }
    }

    @Test
    void apisInvokeThePublishedAlias_soSnapStartApplies() {
        Set<String> aliases = t.findResources("AWS::Lambda::Alias").keySet();
        assertEquals(RouteTable.HTTP.size() + RouteTable.WEBSOCKET.size() + RouteTable.WORKERS.size(), aliases.size());
        for (Map<String, Object> integration : t.findResources("AWS::ApiGatewayV2::Integration").values()) {
            String uri = String.valueOf(props(integration).get("IntegrationUri"));
            assertTrue(aliases.stream().anyMatch(uri::contains), "integration does not target an alias: " + uri);
        }
    }

    @Test
    void noFunctionPolicyGrantsWildcardActions_orScans() {
        for (Object action : allPolicyActions()) {
            String a = String.valueOf(action);
            assertFalse(a.contains("*"), "wildcard action " + a);
            assertFalse(a.equals("dynamodb:Scan"), "no request path may scan");
        }
    }

    @Test
    void eachFunctionGetsOnlyItsRoutesTableActions() {
        // $disconnect reads the connection, deletes it (and its id from the user's set), and tells the tenant (GSI1)
        // and the room (batch reads of the members' connections) the user left.
        assertEquals(Set.of("dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem",
                "dynamodb:Query"), tableActionsOf("ws-disconnect"));
        // $connect reads the user's connections for the 10-socket cap and forgets those API Gateway says are gone
        assertEquals(Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem", "dynamodb:DeleteItem"),
                tableActionsOf("ws-connect"));
        assertEquals(Set.of(), tableActionsOf("jwks"));
        assertEquals(Set.of(), tableActionsOf("admin-create-tenant"));
        assertEquals(Set.of(), tableActionsOf("get-tenant-settings"));
        assertTrue(tableActionsOf("send-message").containsAll(Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem")));
        for (String route : RouteAccessTable.routeNames()) {
            RouteAccess access = RouteAccessTable.of(route);
            Set<String> expected = access.table().stream().map(RouteAccess.TableAction::iamAction).collect(Collectors.toSet());
            if (!access.indexes().isEmpty()) {
                expected.add("dynamodb:Query");
            }
            if (streamWorker(route)) {
                expected.addAll(STREAM_READ); // granted by its event source, on the stream
            }
            assertEquals(expected, tableActionsOf(route), route);
        }
    }

    @Test
    void tableGrantsNameTheTable_andIndexGrantsOnlyQueryTheirIndexes() {
        for (String route : RouteAccessTable.routeNames()) {
            RouteAccess access = RouteAccessTable.of(route);
            Set<String> indexesQueried = new HashSet<>();
            for (Map<String, Object> statement : statementsOf(route)) {
                List<String> actions = actions(statement);
                if (actions.stream().noneMatch(a -> a.startsWith("dynamodb:")) || STREAM_READ.containsAll(actions)) {
                    continue;
                }
                assertTrue(actions.stream().allMatch(a -> a.startsWith("dynamodb:")), route + ": " + actions);
                for (Object resource : resources(statement)) {
                    String r = json(resource);
                    assertFalse(r.equals("\"*\""), route + ": table actions on *");
                    assertTrue(r.contains(tableLogicalId()), route + ": not the data table: " + r);
                    if (r.contains("/index/")) {
                        assertEquals(List.of("dynamodb:Query"), actions, route + ": only queries reach an index");
                        indexesQueried.add(r.substring(r.indexOf("/index/") + 7).replaceAll("[^A-Za-z0-9].*", ""));
                    } else {
                        Set<String> expected = access.table().stream().map(RouteAccess.TableAction::iamAction).collect(Collectors.toSet());
                        assertTrue(expected.containsAll(actions), route + ": " + actions + " on the table");
                    }
                }
            }
            assertEquals(access.indexes(), indexesQueried, route);
        }
        assertTrue(RouteAccessTable.of("ws-typing").table().contains(RouteAccess.TableAction.BATCH_GET_ITEM),
                "typing fans out to the room's joined connections");
    }

    @Test
    void onlyFunctionsThatAnswerOverTheSocketMayPostToConnections() {
        for (String route : RouteAccessTable.routeNames()) {
            boolean posts = actionsOf(route).contains("execute-api:ManageConnections") && !route.equals("ws-connect");
            assertEquals(RouteAccessTable.of(route).connections(), posts, route);
            if (posts) {
                // a post that finds the connection gone (410) deletes its item and its id in the user's set
                assertTrue(tableActionsOf(route).containsAll(Set.of("dynamodb:DeleteItem", "dynamodb:UpdateItem")), route);
            }
        }
        // $connect never posts (its own socket is not open yet); at the cap it only asks whether the others are
        assertEquals(List.of("GET"), connectionMethodsOf("ws-connect"), "$connect must never post");
        for (String route : List.of("ws-typing", "ws-hello", "ws-join-room", "ws-leave-room", "ws-ping", "ws-default",
                "ws-disconnect", "send-message", "mark-read", "edit-message", "pin-message", "forward-message")) {
            assertTrue(actionsOf(route).contains("execute-api:ManageConnections"), route + " delivers events");
            // a post that finds the connection gone (410) deletes its item
            assertTrue(tableActionsOf(route).containsAll(Set.of("dynamodb:DeleteItem", "dynamodb:UpdateItem")),
                    route + " forgets gone connections (the item, and its id in the user's set)");
        }
        for (String route : List.of("get-room", "list-messages", "list-pinned-messages", "sync", "clear-history",
                "change-participant-role", "presign-upload")) {
            assertFalse(actionsOf(route).contains("execute-api:ManageConnections"), route + " tells nobody");
        }
    }

    @Test
    void onlyTheUploadRoutesAndMessageReadersTouchTheBucket() {
        Map<String, Set<String>> expected = new java.util.HashMap<>(Map.of(
                "presign-upload", Set.of("s3:PutObject"),
                "complete-upload", Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"),
                "abort-upload", Set.of("s3:DeleteObject"),
                "upload-access", Set.of("s3:GetObject"),
                "upload-access-batch", Set.of("s3:GetObject")));
        // Messages shown to readers get download URLs for their file parts, presigned with the function's role.
        for (String route : List.of("send-message", "list-messages", "forward-message", "edit-message", "toggle-reaction",
                "pin-message", "unpin-message", "list-pinned-messages", "sync")) {
            expected.put(route, Set.of("s3:GetObject"));
        }
        for (String route : RouteAccessTable.routeNames()) {
            Set<String> s3 = actionsOf(route).stream().filter(a -> a.startsWith("s3:")).collect(Collectors.toSet());
            assertEquals(expected.getOrDefault(route, Set.of()), s3, route);
        }
    }

    @Test
    void bucketGrantsStayInsideTheUploadsBucketsObjectPrefix() {
        assertTrue(dev.sendsar.domain.Upload.objectKey("t_1", "u").startsWith(UploadsBucket.OBJECT_PREFIX)
                        && dev.sendsar.domain.Upload.pendingObjectKey("t_1", "u").startsWith(UploadsBucket.OBJECT_PREFIX),
                "the code's object keys and the granted prefix must agree");
        String bucket = bucketLogicalId();
        for (String route : RouteAccessTable.routeNames()) {
            for (Map<String, Object> statement : statementsOf(route)) {
                List<String> actions = actions(statement);
                if (actions.stream().noneMatch(a -> a.startsWith("s3:"))) {
                    continue;
                }
                assertTrue(actions.stream().allMatch(a -> a.startsWith("s3:")), route + ": " + actions);
                for (Object resource : resources(statement)) {
                    String r = json(resource);
                    assertTrue(r.contains(bucket), route + ": not the uploads bucket: " + r);
                    if (actions.contains("s3:ListBucket")) {
                        assertEquals(List.of("s3:ListBucket"), actions, route);
                        assertFalse(r.contains("/"), route + ": ListBucket is a bucket action: " + r);
                    } else {
                        assertTrue(r.contains("/" + UploadsBucket.OBJECT_PREFIX + "*"), route + ": objects outside t/*: " + r);
                    }
                }
            }
        }
    }

    @Test
    void functionsThatTouchTheBucketKnowItsName_andNoOthers() {
        for (String route : RouteAccessTable.routeNames()) {
            boolean knows = environmentOf(route).containsKey("SENDSAR_UPLOADS_BUCKET");
            assertEquals(RouteAccessTable.of(route).usesUploads(), knows, route);
        }
        assertTrue(json(environmentOf("presign-upload").get("SENDSAR_UPLOADS_BUCKET")).contains(bucketLogicalId()));
    }

    @Test
    void controlPlaneAccessMatchesTheDatabaseRole_andGoesThroughTheDsqlConnector() {
        Set<String> noCaller = Set.of("jwks", "realtime-info", "ws-disconnect", "ws-hello", "ws-leave-room", "ws-ping", "ws-default",
                "event-router", "webhook-delivery", "fan-out");
        for (String route : RouteAccessTable.routeNames()) {
            RouteAccess.ControlPlane access = RouteAccessTable.of(route).controlPlane();
            Set<String> dsql = actionsOf(route).stream().filter(a -> a.startsWith("dsql:")).collect(Collectors.toSet());
            Map<String, Object> env = environmentOf(route);
            if (access == RouteAccess.ControlPlane.NONE) {
                assertTrue(noCaller.contains(route), route + " authenticates a caller, which reads the control plane");
                assertEquals(Set.of(), dsql, route);
                assertFalse(env.containsKey("SENDSAR_DB_URL"), route);
                continue;
            }
            assertEquals(Set.of(access.iamAction()), dsql, route);
            assertEquals(access.databaseRole(), env.get("SENDSAR_DB_USER"), route);
            String url = json(env.get("SENDSAR_DB_URL"));
            assertTrue(url.contains("jdbc:aws-dsql:postgresql://") && url.contains("sslmode=verify-full"), route + ": " + url);
            assertFalse(env.containsKey("SENDSAR_DB_PASSWORD"), route + ": DSQL logins use IAM tokens");
        }
        assertEquals(RouteAccess.ControlPlane.SETTINGS, RouteAccessTable.of("patch-tenant-settings").controlPlane(),
                "the only control-plane write outside /v1/admin");
        RouteAccessTable.routeNames().stream().filter(r -> !r.equals("patch-tenant-settings"))
                .forEach(r -> assertTrue(RouteAccessTable.of(r).controlPlane() != RouteAccess.ControlPlane.SETTINGS, r));
        for (String route : List.of("ws-connect", "ws-join-room", "ws-typing", "get-tenant-settings", "presign-upload")) {
            assertEquals(RouteAccess.ControlPlane.APP, RouteAccessTable.of(route).controlPlane(), route);
        }
        RouteAccessTable.routeNames().forEach(r -> assertEquals(r.startsWith("admin-"),
                RouteAccessTable.of(r).controlPlane() == RouteAccess.ControlPlane.ADMIN, r));
    }

    @Test
    void everyTemplateStaysUnderCloudFormationsResourceLimit() {
        int parent = t.resourceCount(stack);
        assertTrue(parent <= 500, parent + " resources: CloudFormation refuses more than 500 per stack");
        for (RouteStack nested : t.nested()) {
            int resources = t.resourceCount(nested);
            assertTrue(resources <= 500, nested.getNode().getPath() + ": " + resources + " resources");
        }
    }

    @Test
    void functionsLiveInNestedStacksOfAtMostTwentyRoutes_oneStackPerChunkOfEachApi() {
        assertEquals(0, t.findResourcesIn(stack, "AWS::Lambda::Function").size(), "the parent holds no function");
        int chunks = (RouteTable.HTTP.size() + RouteStack.ROUTES_PER_STACK - 1) / RouteStack.ROUTES_PER_STACK
                + (RouteTable.WEBSOCKET.size() + RouteStack.ROUTES_PER_STACK - 1) / RouteStack.ROUTES_PER_STACK
                + (RouteTable.WORKERS.size() + RouteStack.ROUTES_PER_STACK - 1) / RouteStack.ROUTES_PER_STACK;
        assertEquals(chunks, t.nested().size());
        assertEquals(chunks, t.findResourcesIn(stack, "AWS::CloudFormation::Stack").size());
        int functions = 0;
        for (RouteStack nested : t.nested()) {
            int here = t.findResourcesIn(nested, "AWS::Lambda::Function").size();
            assertTrue(here > 0 && here <= RouteStack.ROUTES_PER_STACK, nested.getNode().getPath() + ": " + here);
            functions += here;
        }
        assertEquals(RouteTable.HTTP.size() + RouteTable.WEBSOCKET.size() + RouteTable.WORKERS.size(), functions);
        stack.functions().values().stream()
                .forEach(f -> assertTrue(stack.routeStacks().contains(Stack.of(f)), f.getNode().getPath()));
    }

    @Test
    void eachRouteCostsItsNestedStackSevenResources_andTheParentTwo() {
        for (RouteStack nested : t.nested()) {
            if (isWorkerStack(nested)) {
                continue; // workers have event sources (and a stream worker a lag alarm) instead: WorkerFunctionsTest
            }
            int routes = t.findResourcesIn(nested, "AWS::Lambda::Function").size();
            // the $default route's permission sits beside the fallback function's alias
            int extra = nested.getNode().tryFindChild(RouteAccessTable.HTTP_FALLBACK_ROUTE) != null ? 1 : 0;
            assertEquals(RouteStack.RESOURCES_PER_ROUTE * routes + extra, t.resourceCount(nested), nested.getNode().getPath());
        }
        // each API route and its integration stay in the parent ($default of the HTTP API included)
        int routes = RouteTable.HTTP.size() + 1 + RouteTable.WEBSOCKET.size();
        assertEquals(routes, t.findResourcesIn(stack, "AWS::ApiGatewayV2::Route").size());
        assertEquals(routes, t.findResourcesIn(stack, "AWS::ApiGatewayV2::Integration").size());
        assertTrue(RouteStack.ROUTES_PER_STACK * RouteStack.RESOURCES_PER_ROUTE + 1 <= 250,
                "a full nested stack uses at most half of CloudFormation's 500");
    }

    @Test
    void apiGatewayMayInvokeEachAlias_byAPermissionBesideIt() {
        assertEquals(0, t.findResourcesIn(stack, "AWS::Lambda::Permission").size(), "no permission in the parent");
        for (RouteStack nested : t.nested()) {
            if (isWorkerStack(nested)) {
                assertEquals(0, t.findResourcesIn(nested, "AWS::Lambda::Permission").size(), "workers are invoked by event sources");
                continue;
            }
            Set<String> aliases = t.findResourcesIn(nested, "AWS::Lambda::Alias").keySet();
            Map<String, Map<String, Object>> permissions = t.findResourcesIn(nested, "AWS::Lambda::Permission");
            assertEquals(aliases.size() + (nested.getNode().tryFindChild(RouteAccessTable.HTTP_FALLBACK_ROUTE) != null ? 1 : 0),
                    permissions.size(), nested.getNode().getPath());
            for (Map<String, Object> permission : permissions.values()) {
                Map<String, Object> p = props(permission);
                assertEquals("apigateway.amazonaws.com", p.get("Principal"));
                assertEquals("lambda:InvokeFunction", p.get("Action"));
                assertTrue(aliases.contains(((Map<String, Object>) p.get("FunctionName")).get("Ref")), "permits its alias: " + p);
                String source = json(p.get("SourceArn"));
                assertTrue(source.contains("execute-api") && (source.contains(apiLogicalId("HTTP")) || source.contains(apiLogicalId("WEBSOCKET"))),
                        "only this deployment's APIs: " + source);
            }
        }
    }

    @Test
    void connectionAccessIsLimitedToPostGetAndDeleteOnTheLiveStage() {
        for (String route : RouteAccessTable.routeNames()) {
            if (RouteAccessTable.of(route).connections()) {
                // post frames; ask whether a socket is open; close a socket whose connection was forgotten
                assertEquals(List.of("DELETE", "GET", "POST"), connectionMethodsOf(route), route);
            }
        }
    }

    /** The HTTP methods on the live stage's {@code @connections} the route's role may use, sorted. */
    private List<String> connectionMethodsOf(String route) {
        List<String> methods = new java.util.ArrayList<>();
        for (Map<String, Object> statement : statementsOf(route)) {
            if (actions(statement).contains("execute-api:ManageConnections")) {
                assertEquals(List.of("execute-api:ManageConnections"), actions(statement), route);
                resources(statement).forEach(r -> {
                    String arn = json(r);
                    assertTrue(arn.matches("(?s).*" + WebSocketRoutes.STAGE + "/[A-Z]+/@connections/\\*.*"), route + ": " + arn);
                    methods.add(arn.replaceAll("(?s).*" + WebSocketRoutes.STAGE + "/([A-Z]+)/@connections.*", "$1"));
                });
            }
        }
        return methods.stream().sorted().toList();
    }

    @Test
    void onlyAdminRoutesSeeTheOperatorKey() {
        for (String route : RouteAccessTable.routeNames()) {
            boolean hasKey = environmentOf(route).containsKey("SENDSAR_ADMIN_KEY");
            assertEquals(route.startsWith("admin-"), hasKey, route);
        }
    }

    @Test
    void onlyCallFunctionsSeeTheLiveKitKeyPair_fromItsSecret() {
        Set<String> callFunctions = Set.of("get-active-call", "start-call", "accept-call", "decline-call", "end-call",
                "leave-call", "refresh-call-token", "livekit-webhook", "call-ring-timeouts");
        for (String route : RouteAccessTable.routeNames()) {
            Map<String, Object> env = environmentOf(route);
            boolean call = callFunctions.contains(route);
            assertEquals(call, env.containsKey("LIVEKIT_API_SECRET"), route);
            assertEquals(call, env.containsKey("LIVEKIT_API_KEY"), route);
            assertEquals(call, env.containsKey("LIVEKIT_URL"), route);
            if (call) {
                assertTrue(json(env.get("LIVEKIT_API_SECRET")).contains("resolve:secretsmanager:"), route);
                assertTrue(json(env.get("LIVEKIT_API_SECRET")).contains(":SecretString:apiSecret"), route);
            }
        }
    }

    @Test
    void everyFunctionKnowsTheTableTheSocketAndThePublicSessionKeys() {
        for (String route : RouteAccessTable.routeNames()) {
            assertTrue(environmentOf(route).keySet().containsAll(Set.of("SENDSAR_TABLE", "SENDSAR_REGION", "SENDSAR_WS_URL",
                    "SENDSAR_WS_CALLBACK_URL", "SENDSAR_JWT_PUBLIC_KEYS")), route);
            assertEquals(Map.of("Ref", PlatformSecrets.JWT_PUBLIC_KEYS_PARAMETER), environmentOf(route).get("SENDSAR_JWT_PUBLIC_KEYS"), route);
        }
    }

    /** C1, the serial collector, and 100 idle connections kept per host (a send's parallel posts reuse theirs). */
    @Test
    void everyFunctionRunsWithTheBenchedJvmOptions_keepingConnectionsForItsParallelPosts() {
        for (String route : RouteAccessTable.routeNames()) {
            String options = String.valueOf(environmentOf(route).get("JAVA_TOOL_OPTIONS"));
            assertEquals(LambdaJvm.JAVA_TOOL_OPTIONS, options, route);
            assertTrue(options.contains("-XX:TieredStopAtLevel=1") && options.contains("-Dhttp.maxConnections=100"), options);
        }
    }

    @Test
    void everyFunctionKnowsItsRoute_soItBuildsOnlyWhatTheRouteUses() {
        for (String route : RouteAccessTable.routeNames()) {
            assertEquals(route, environmentOf(route).get(RouteTable.ROUTE_VARIABLE), route);
        }
    }

    @Test
    void onlyTheMintFunctionMayReadThePrivateSigningKeys() {
        String secret = t.findResources("AWS::SecretsManager::Secret").entrySet().stream()
                .filter(e -> String.valueOf(props(e.getValue()).get("Description")).contains("signing keys"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        List<String> readers = new ArrayList<>();
        for (String route : RouteAccessTable.routeNames()) {
            Map<String, Object> environment = environmentOf(route);
            assertFalse(environment.containsKey("SENDSAR_JWT_KEYS"), route + " holds the private keys in its configuration");
            assertFalse(json(environment).contains("resolve:secretsmanager") && json(environment).contains(secret),
                    route + " resolves the signing-key secret into its configuration");
            List<Map<String, Object>> grants = statementsOf(route).stream()
                    .filter(statement -> actions(statement).stream().anyMatch(a -> a.startsWith("secretsmanager:"))).toList();
            if (!grants.isEmpty()) {
                readers.add(route);
                assertEquals(1, grants.size(), route);
                assertEquals(List.of("secretsmanager:GetSecretValue"), actions(grants.get(0)), route);
                assertEquals(List.of(Map.of("Ref", secret)), resources(grants.get(0)), route);
                assertEquals(Map.of("Ref", secret), environment.get("SENDSAR_JWT_KEYS_SECRET"), route);
            } else {
                assertFalse(environment.containsKey("SENDSAR_JWT_KEYS_SECRET"), route);
            }
        }
        assertEquals(List.of("mint-token"), readers);
    }

    @Test
    void tableHasTheIndexesTtlAndPointInTimeRecoveryTheRuntimeExpects() {
        Map<String, Object> table = props(single("AWS::DynamoDB::Table"));
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(Map.of("AttributeName", TableKeys.TTL, "Enabled", true), table.get("TimeToLiveSpecification"));
        assertEquals(true, ((Map<String, Object>) table.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"));
        Set<String> indexes = ((List<Map<String, Object>>) table.get("GlobalSecondaryIndexes")).stream()
                .map(i -> (String) i.get("IndexName")).collect(Collectors.toSet());
        assertEquals(Set.of(TableKeys.GSI1), indexes);
        // the keys and the connection attributes presence reads, as TableDefinition gives the emulators' table (whose
        // test pins the same): writes of anything else (cursors, receipts, mutes, typing) do not write the index
        Map<String, Object> projection = (Map<String, Object>) ((List<Map<String, Object>>) table.get("GlobalSecondaryIndexes"))
                .get(0).get("Projection");
        assertEquals(Map.of("ProjectionType", "INCLUDE", "NonKeyAttributes", TableKeys.GSI1_INCLUDES), projection);
        assertEquals(List.of(Map.of("AttributeName", TableKeys.PK, "KeyType", "HASH"), Map.of("AttributeName", TableKeys.SK, "KeyType", "RANGE")),
                table.get("KeySchema"));
    }

    @Test
    void everyWorkQueueHasADeadLetterQueueWithAnAlarm() {
        Map<String, Map<String, Object>> queues = t.findResources("AWS::SQS::Queue");
        List<Map<String, Object>> withRedrive = queues.values().stream().filter(q -> props(q).containsKey("RedrivePolicy")).toList();
        assertEquals(4, withRedrive.size(), "webhooks, ring-timeout, push, fan-out");
        assertEquals(8, queues.size(), "each work queue plus its DLQ, nothing else");
        for (Map<String, Object> q : withRedrive) {
            Number visibility = (Number) props(q).get("VisibilityTimeout");
            assertTrue(RouteTable.QUEUES.stream().anyMatch(queue -> queue.visibilitySeconds() == visibility.longValue()));
        }
        long dlqAlarms = t.findResources("AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> "ApproximateNumberOfMessagesVisible".equals(props(a).get("MetricName"))).count();
        assertEquals(4, dlqAlarms);
    }

    @Test
    void everySqsEventSourceReportsBatchItemFailures() {
        for (Map<String, Object> mapping : t.findResources("AWS::Lambda::EventSourceMapping").values()) {
            assertEquals(List.of("ReportBatchItemFailures"), props(mapping).get("FunctionResponseTypes"));
        }
    }

    @Test
    void alarmsWatch5xxAndEveryFunctionsThrottles() {
        List<Map<String, Object>> alarms = t.findResources("AWS::CloudWatch::Alarm").values().stream().map(SendsarStackTest::props).toList();
        assertEquals(1, alarms.stream().filter(a -> "5xx".equals(a.get("MetricName"))).count());
        assertEquals(RouteAccessTable.routeNames().size(), alarms.stream().filter(a -> "Throttles".equals(a.get("MetricName"))).count());
        assertTrue(alarms.stream().allMatch(a -> a.containsKey("AlarmActions")), "every alarm notifies the topic");
    }

    @Test
    void uploadsBucketIsPrivate_acceptsBrowserPuts_andAbortsStaleUploads() {
        Map<String, Object> bucket = props(single("AWS::S3::Bucket"));
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                bucket.get("PublicAccessBlockConfiguration"));
        String cors = bucket.get("CorsConfiguration").toString();
        assertTrue(cors.contains("PUT"), cors);
        String lifecycle = bucket.get("LifecycleConfiguration").toString();
        assertTrue(lifecycle.contains("AbortIncompleteMultipartUpload"), lifecycle);
        assertTrue(lifecycle.contains("Prefix=" + dev.sendsar.domain.Upload.PENDING_PREFIX) && lifecycle.contains("ExpirationInDays=2"),
                "uploads never completed are deleted: " + lifecycle);
    }

    @Test
    void controlPlaneIsADsqlCluster_andNothingNeedsAVpc() {
        assertEquals(1, t.findResources("AWS::DSQL::Cluster").size());
        for (Map<String, Object> resource : t.allResources()) {
            String type = (String) resource.get("Type");
            assertFalse(type.startsWith("AWS::EC2::"), "no VPC, subnet or NAT: " + type);
        }
        for (Map<String, Object> f : t.findResources("AWS::Lambda::Function").values()) {
            assertFalse(props(f).containsKey("VpcConfig"));
        }
    }

    @Test
    void secretsLiveInSecretsManager_andLogsExpire() {
        // operator key, session-token signing keys, LiveKit's API key pair, the webhook secret key
        assertEquals(4, t.findResources("AWS::SecretsManager::Secret").size());
        Map<String, Map<String, Object>> logs = t.findResources("AWS::Logs::LogGroup");
        // one per function, plus the HTTP and WebSocket APIs' access logs
        assertEquals(RouteAccessTable.routeNames().size() + 2, logs.size());
        logs.values().forEach(l -> assertEquals(30, ((Number) props(l).get("RetentionInDays")).intValue()));
    }

    @Test
    void outputsTellClientsWhereTheApisAre() {
        Set<String> outputs = ((Map<String, Object>) t.parent.toJSON().get("Outputs")).keySet();
        assertTrue(outputs.containsAll(Set.of("HttpApiUrl", "WebSocketUrl", "UploadsBucketName", "ControlPlaneAppRoleArns",
                "ControlPlaneSettingsRoleArns")), outputs.toString());
    }

    // --- template helpers ---

    private static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    private Map<String, Object> single(String type) {
        Map<String, Map<String, Object>> found = t.findResources(type);
        assertEquals(1, found.size(), type);
        return found.values().iterator().next();
    }

    /** Route keys of the routes whose logical ids start with the given construct's prefix. */
    private Set<String> routeKeysOf(String prefix) {
        Set<String> keys = new HashSet<>();
        t.findResources("AWS::ApiGatewayV2::Route").forEach((id, r) -> {
            if (id.startsWith(prefix)) {
                keys.add((String) props(r).get("RouteKey"));
            }
        });
        return keys;
    }

    private String roleLogicalIdOf(String route) {
        RouteFunction f = stack.functions().get(route);
        return Stack.of(f).getLogicalId((software.amazon.awscdk.CfnElement) f.function().getRole().getNode().getDefaultChild());
    }

    private static boolean isWorkerStack(RouteStack nested) {
        return nested.getNode().getPath().contains("/Workers/");
    }

    private Map<String, Object> environmentOf(String route) {
        RouteFunction f = stack.functions().get(route);
        String id = Stack.of(f).getLogicalId((software.amazon.awscdk.CfnElement) f.function().getNode().getDefaultChild());
        Map<String, Object> fn = t.findResources("AWS::Lambda::Function").get(id);
        return (Map<String, Object>) ((Map<String, Object>) props(fn).get("Environment")).get("Variables");
    }

    /** Every IAM action any policy of the route's role allows. */
    /** What a stream worker's event source grants its role, on the table's stream (ListStreams on *). */
    private static final Set<String> STREAM_READ = Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
            "dynamodb:GetShardIterator", "dynamodb:ListStreams");

    private static boolean streamWorker(String name) {
        return RouteTable.WORKERS.stream().anyMatch(w -> w.name().equals(name) && w.trigger() == RouteTable.Trigger.TABLE_STREAM);
    }

    private Set<String> actionsOf(String route) {
        Set<String> actions = new HashSet<>();
        statementsOf(route).forEach(statement -> actions.addAll(actions(statement)));
        return actions;
    }

    /** Every statement of the route role's inline policies and of every policy attached to it. */
    private List<Map<String, Object>> statementsOf(String route) {
        String role = roleLogicalIdOf(route);
        List<Map<String, Object>> statements = new ArrayList<>();
        Map<String, Object> roleProps = props(t.findResources("AWS::IAM::Role").get(role));
        for (Map<String, Object> inline : (List<Map<String, Object>>) roleProps.getOrDefault("Policies", List.of())) {
            statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) inline.get("PolicyDocument")).get("Statement"));
        }
        for (Map<String, Object> policy : t.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> p = props(policy);
            if (p.get("Roles").toString().contains(role)) {
                statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) p.get("PolicyDocument")).get("Statement"));
            }
        }
        return statements;
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(action));
    }

    private static List<Object> resources(Map<String, Object> statement) {
        Object resource = statement.get("Resource");
        return resource instanceof List<?> list ? List.copyOf(list) : List.of(resource);
    }

    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String bucketLogicalId() {
        Map<String, Map<String, Object>> buckets = t.findResources("AWS::S3::Bucket");
        assertEquals(1, buckets.size());
        return buckets.keySet().iterator().next();
    }

    private String apiLogicalId(String protocol) {
        return t.findResources("AWS::ApiGatewayV2::Api").entrySet().stream()
                .filter(e -> protocol.equals(props(e.getValue()).get("ProtocolType"))).map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private String tableLogicalId() {
        return t.findResources("AWS::DynamoDB::Table").keySet().iterator().next();
    }

    private Set<String> tableActionsOf(String route) {
        return actionsOf(route).stream().filter(a -> a.startsWith("dynamodb:")).collect(Collectors.toSet());
    }

    private List<Object> allPolicyActions() {
        List<Object> actions = new ArrayList<>();
        for (String route : RouteAccessTable.routeNames()) {
            statementsOf(route).forEach(statement -> actions.addAll(actions(statement)));
        }
        for (Map<String, Object> policy : t.findResources("AWS::IAM::Policy").values()) {
            for (Map<String, Object> s : (List<Map<String, Object>>) ((Map<String, Object>) props(policy).get("PolicyDocument")).get("Statement")) {
                actions.addAll(actions(s));
            }
        }
        return actions;
    }
}
