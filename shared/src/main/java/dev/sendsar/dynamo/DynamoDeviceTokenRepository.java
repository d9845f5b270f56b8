package dev.sendsar.dynamo;

import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.ports.DeviceTokenRepository;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.util.List;
import java.util.Map;

import static dev.sendsar.dynamo.Attrs.s;
import static dev.sendsar.dynamo.Attrs.str;

@Singleton
public class DynamoDeviceTokenRepository implements DeviceTokenRepository {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDeviceTokenRepository(DynamoDbClient dynamo, SendsarConfig config) {
        this.dynamo = dynamo;
        this.table = config.getTable();
    }

    @Override
    public void save(String tenantId, String userId, DeviceToken token) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                TableKeys.PK, s(TableKeys.user(tenantId, userId)), TableKeys.SK, s(TableKeys.deviceToken(token.id())),
                "id", s(token.id()), "provider", s(token.provider()), "token", s(token.token()),
                "platform", s(token.platform()), "createdAt", s(token.createdAt()))));
    }

    @Override
    public boolean delete(String tenantId, String userId, String tokenId) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table).returnValues(ReturnValue.ALL_OLD)
                .key(Map.of(TableKeys.PK, s(TableKeys.user(tenantId, userId)), TableKeys.SK, s(TableKeys.deviceToken(tokenId))))).attributes();
        return old != null && !old.isEmpty();
    }

    @Override
    public List<DeviceToken> ofUser(String tenantId, String userId) {
        return dynamo.query(b -> b.tableName(table)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :dev)")
                        .expressionAttributeValues(Map.of(":pk", s(TableKeys.user(tenantId, userId)), ":dev", s(TableKeys.DEVICE_TOKEN_PREFIX))))
                .items().stream().map(i -> new DeviceToken(str(i, "id"), str(i, "provider"), str(i, "token"),
                        str(i, "platform"), str(i, "createdAt"))).toList();
    }
}
