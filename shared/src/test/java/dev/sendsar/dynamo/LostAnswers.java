package dev.sendsar.dynamo;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the SDK does when an attempt's answer is lost (a reset connection, a timeout): it sends the call again. A
 * client whose first attempt of each distinct put reaches DynamoDB, is applied and loses its answer, so the put runs
 * twice and the caller sees the second answer.
 */
final class LostAnswers {
    private LostAnswers() {
    }

    static DynamoDbClient onFirstPut(DynamoDbClient target) {
        Set<Object> lost = ConcurrentHashMap.newKeySet();
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.isDefault() && !(args != null && args.length == 1 && args[0] instanceof SdkRequest)) {
                        // the Consumer<Builder> overloads build the request and call the method below through the proxy
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    try {
                        if (args != null && args.length == 1 && args[0] instanceof PutItemRequest put && lost.add(put)) {
                            method.invoke(target, args); // applied; its answer never arrives
                        }
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
