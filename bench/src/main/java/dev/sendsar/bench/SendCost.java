package dev.sendsar.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one sent message costs on AWS, item by item, from what the bench measured: the one place the bench keeps
 * prices. They are AWS list prices, us-east-1, on-demand, without free tiers, as {@code docs/deploy.md}'s cost table
 * gives them (checked in 2025; verify before quoting).
 */
final class SendCost {
    /** Dollars per HTTP API request (first 300 M a month). */
    static final double HTTP_API_REQUEST = 1.00e-6;
    /** Dollars per WebSocket message, each {@code @connections} post among them (per 32 KB). */
    static final double WEBSOCKET_MESSAGE = 1.00e-6;
    static final double LAMBDA_REQUEST = 0.20e-6;
    /** Dollars per GB-second of Lambda on arm64, the architecture the stack deploys. */
    static final double LAMBDA_ARM64_GB_SECOND = 0.0000133334;
    /** DynamoDB on-demand, dollars per write and per read request unit. */
    static final double WRITE_UNIT = 0.625e-6;
    static final double READ_UNIT = 0.125e-6;
    static final double SQS_REQUEST = 0.40e-6;
    /**
     * CloudWatch Logs per HTTP request: the API stage's access line, about 300 bytes at $0.50 per GB. Lambda writes no
     * line of its own per invocation (the functions' system log level is WARN: no START, END or REPORT).
     */
    static final double ACCESS_LOG_PER_REQUEST = 0.15e-6;
    /** Issue 12's target for a 1:1 send, both members online, all-in. */
    static final double TARGET_PER_MILLION_1_TO_1 = 5.00;

    /**
     * What one send used.
     *
     * @param invocations   Lambda invocations (send-message's: 1)
     * @param billedMillis  the billed duration of each
     * @param memoryMb      the function's memory size
     * @param posts         {@code @connections} posts
     * @param queueSends    SQS send requests; each brings a receive and a delete by the worker
     * @param routerInvocations   the event router's invocations (the table stream hands it every new message not
     *                            stored quiet)
     * @param routerBilledMillis  the billed duration of each, at the same memory size
     */
    record Usage(double invocations, long billedMillis, int memoryMb, double writeUnits, double readUnits, double posts,
                 double queueSends, double routerInvocations, long routerBilledMillis) {
        /**
         * The floor of a send in a room of {@code members}, all online, the sender's own socket named: one request,
         * one invocation of {@code billedMillis}, one 1-unit write, one post per other member's socket.
         */
        static Usage floor(int members, long billedMillis, int memoryMb) {
            return new Usage(1, billedMillis, memoryMb, 1, 0, members - 1, 0, 0, 0);
        }
    }

    /** One line of the bill, in dollars per million sends. */
    record Item(String name, double perMillion) {
    }

    private SendCost() {
    }

    /**
     * The bill of one send, per million sends, in a fixed order: HTTP API, Lambda requests and time, DynamoDB, posts,
     * SQS, logs (the request's access line), the event router (its requests and time).
     */
    static List<Item> items(Usage u) {
        List<Item> items = new ArrayList<>();
        items.add(new Item("HTTP API", HTTP_API_REQUEST * 1e6));
        items.add(new Item("Lambda req", u.invocations() * LAMBDA_REQUEST * 1e6));
        items.add(new Item("Lambda time", u.invocations() * lambdaTime(u.billedMillis(), u.memoryMb()) * 1e6));
        items.add(new Item("WRU", u.writeUnits() * WRITE_UNIT * 1e6));
        items.add(new Item("RRU", u.readUnits() * READ_UNIT * 1e6));
        items.add(new Item("posts", u.posts() * WEBSOCKET_MESSAGE * 1e6));
        items.add(new Item("SQS", u.queueSends() * 3 * SQS_REQUEST * 1e6));
        items.add(new Item("logs", ACCESS_LOG_PER_REQUEST * 1e6));
        items.add(new Item("router", u.routerInvocations()
                * (LAMBDA_REQUEST + lambdaTime(u.routerBilledMillis(), u.memoryMb())) * 1e6));
        return items;
    }

    private static double lambdaTime(long billedMillis, int memoryMb) {
        return billedMillis / 1000.0 * memoryMb / 1024.0 * LAMBDA_ARM64_GB_SECOND;
    }

    /** Dollars per million sends, all items. */
    static double perMillion(Usage u) {
        return items(u).stream().mapToDouble(Item::perMillion).sum();
    }
}
