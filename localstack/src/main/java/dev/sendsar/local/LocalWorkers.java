package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.sendsar.functions.workers.SqsWorkerFunction;
import dev.sendsar.functions.workers.TableStreamWorkerFunction;
import dev.sendsar.routes.RouteTable;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every worker of {@link RouteTable#WORKERS}, each run by the poller of its trigger: the real handler class, built
 * with the local application context, as Lambda would run it.
 */
final class LocalWorkers implements AutoCloseable {
    private final List<AutoCloseable> pollers;
    private final DynamoDbStreamsClient streams;

    private LocalWorkers(List<AutoCloseable> pollers, DynamoDbStreamsClient streams) {
        this.pollers = pollers;
        this.streams = streams;
    }

    /**
     * @param queues        each queue's URL and ARN, from {@link LocalQueues#ensure}
     * @param streamArn     the data table's change stream
     * @param checkpointDir where stream positions are kept; null keeps them in memory
     * @param reports       where each invocation is reported, as the gateway's functions are
     */
    static LocalWorkers start(ApplicationContext context, List<RouteTable.Worker> workers, Map<String, LocalQueues.Urls> queues,
                              String dynamoEndpoint, String streamArn, Path checkpointDir, InvocationReports reports)
            throws ReflectiveOperationException {
        DynamoDbStreamsClient streams = streamsClient(dynamoEndpoint);
        SqsClient sqs = context.getBean(SqsClient.class);
        List<AutoCloseable> pollers = new ArrayList<>();
        for (RouteTable.Worker worker : workers) {
            Object handler = Class.forName(worker.handler()).getConstructor(ApplicationContext.class).newInstance(context);
            pollers.add(switch (worker.trigger()) {
                case SQS -> {
                    SqsWorkerFunction function = (SqsWorkerFunction) handler;
                    yield new SqsPoller(sqs, worker, queues.get(worker.queue()), (SQSEvent event) ->
                            reports.invoke(worker.name(), event.getRecords().size(), () -> function.execute(event)));
                }
                case TABLE_STREAM -> {
                    TableStreamWorkerFunction function = (TableStreamWorkerFunction) handler;
                    yield new StreamPoller(streams, streamArn, worker, (DynamodbEvent event) ->
                            reports.invoke(worker.name(), event.getRecords().size(), () -> function.execute(event)),
                            checkpointDir == null ? null : checkpointDir.resolve("stream-" + worker.name() + ".properties"));
                }
            });
        }
        return new LocalWorkers(pollers, streams);
    }

    /** A client of DynamoDB Local's streams: what Lambda's event source reads on AWS, which no function holds. */
    static DynamoDbStreamsClient streamsClient(String dynamoEndpoint) {
        return DynamoDbStreamsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(dynamoEndpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** Stops every poller; batches in hand finish first. */
    @Override
    public void close() throws Exception {
        for (AutoCloseable poller : pollers) {
            poller.close();
        }
        streams.close();
    }
}
