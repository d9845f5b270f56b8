package dev.sendsar.push;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.sendsar.domain.Message;
import dev.sendsar.dynamo.TableKeys;
import dev.sendsar.functions.workers.TableStreamWorkerFunction;
import dev.sendsar.json.Json;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * Turns each message committed to the table (an INSERT of a room's {@code S#} item on the change stream) into push
 * jobs: the stream is the outbox, so a message that is stored is never missed and nothing unstored is pushed. Edits,
 * deletes and every other item are ignored. A repeated record queues the same jobs again; the per-token delivery
 * marks keep that from pushing twice.
 */
public class PushRouterWorker extends TableStreamWorkerFunction {
    private static final String ROOM_MARK = "#R#";

    @Inject
    PushService push;
    @Inject
    Json json;

    public PushRouterWorker() {
    }

    public PushRouterWorker(ApplicationContext context) {
        super(context);
    }

    @Override
    protected void handle(DynamodbEvent.DynamodbStreamRecord record) throws Exception {
        if (!"INSERT".equals(record.getEventName()) || record.getDynamodb() == null) {
            return;
        }
        Map<String, AttributeValue> item = record.getDynamodb().getNewImage();
        String pk = text(item, TableKeys.PK);
        String sk = text(item, TableKeys.SK);
        String doc = text(item, "doc");
        if (pk == null || sk == null || doc == null || !pk.startsWith("T#") || !pk.contains(ROOM_MARK)
                || !sk.startsWith(TableKeys.MESSAGE_PREFIX)) {
            return;
        }
        String tenantId = pk.substring(2, pk.lastIndexOf(ROOM_MARK));
        push.messageCreated(tenantId, json.read(doc, Message.class));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null ? null : value.getS();
    }
}
