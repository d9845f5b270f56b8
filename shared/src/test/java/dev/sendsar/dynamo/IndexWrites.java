package dev.sendsar.dynamo;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A client over DynamoDB Local that asks every single-item write for {@code ReturnConsumedCapacity=INDEXES} and adds
 * up the units the table and GSI1 consumed: DynamoDB Local follows AWS's rule, an update that changes no attribute
 * GSI1 holds (nor its keys) consumes nothing on the index.
 */
final class IndexWrites {
    private final DoubleAdder table = new DoubleAdder();
    private final DoubleAdder index = new DoubleAdder();
    final DynamoDbClient client;

    IndexWrites(DynamoDbClient target) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault() && !(args != null && args.length == 1 && args[0] instanceof software.amazon.awssdk.core.SdkRequest)) {
                // the Consumer<Builder> overloads build the request and call the method below through the proxy
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Object[] call = args;
            if (args != null && args.length == 1) {
                if (args[0] instanceof UpdateItemRequest u) call = new Object[]{u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()};
                if (args[0] instanceof PutItemRequest p) call = new Object[]{p.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()};
                if (args[0] instanceof DeleteItemRequest d) call = new Object[]{d.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build()};
            }
            Object result;
            try {
                result = method.invoke(target, call);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof UpdateItemResponse u) add(u.consumedCapacity());
            if (result instanceof PutItemResponse p) add(p.consumedCapacity());
            if (result instanceof DeleteItemResponse d) add(d.consumedCapacity());
            return result;
        };
        this.client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[]{DynamoDbClient.class}, handler);
    }

    private void add(ConsumedCapacity c) {
        if (c == null) {
            return;
        }
        table.add(units(c.table()));
        if (c.hasGlobalSecondaryIndexes()) {
            index.add(units(c.globalSecondaryIndexes().get(TableKeys.GSI1)));
        }
    }

    private static double units(Capacity c) {
        return c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
    }

    /** Write units on the table since the last {@link #reset()}. */
    double table() {
        return table.sum();
    }

    /** Write units on GSI1 since the last {@link #reset()}. */
    double index() {
        return index.sum();
    }

    void reset() {
        table.reset();
        index.reset();
    }
}
