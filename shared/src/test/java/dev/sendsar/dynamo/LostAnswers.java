package dev.sendsar.dynamo;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the SDK does when an attempt's answer is lost (a reset connection, a timeout): it sends the call again. A
 * client whose first attempt of each distinct put or update reaches DynamoDB, is applied and loses its answer, so the
 * write runs twice and the caller sees the second answer.
 */
final class LostAnswers {
    private LostAnswers() {
    }

    static DynamoDbClient onFirstWrite(DynamoDbClient target) {
        Set<Object> lost = ConcurrentHashMap.newKeySet();
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.isDefault() && !(args != null && args.length == 1 && args[0] instanceof SdkRequest)) {
                        // the Consumer<Builder> overloads build the request and call the method below through the proxy
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    try {
                        boolean write = args != null && args.length == 1
                                && (args[0] instanceof PutItemRequest || args[0] instanceof UpdateItemRequest);
                        if (write && lost.add(args[0])) {
                            method.invoke(target, args); // applied; its answer never arrives
                        }
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
