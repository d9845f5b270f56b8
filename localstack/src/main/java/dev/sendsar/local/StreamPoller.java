package dev.sendsar.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.sendsar.routes.RouteTable;
import dev.sendsar.workers.PartialBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * What Lambda's DynamoDB Streams event source does for one worker, against DynamoDB Local: reads every shard of the
 * table's stream (a child shard only once its parent is drained, so order per key holds), hands batches to the
 * worker as real {@link DynamodbEvent}s (only the records its {@link RouteTable.Worker#streamFilters} want, as Lambda's
 * event filtering drops the rest), and advances past a batch only as far as {@link PartialBatch#streamResumeIndex}
 * says; a failed record is retried (after a pause) before anything after it. With a data directory the position in
 * each shard is kept in a file, so a restarted stack resumes where it stopped, like an event source mapping does.
 */
final class StreamPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);
    /**
     * Lambda polls each shard about four times a second, and at once again after a full batch; an idle stream is polled
     * less and less, down to once a second.
     */
    private static final long BUSY_POLL_MILLIS = 250;
    private static final long IDLE_POLL_MILLIS = 1000;
    /** How often the shard list is read again while no shard closes (a closed shard re-reads it at once). */
    private static final long SHARD_LIST_MILLIS = 5000;
    private static final long RETRY_PAUSE_MILLIS = 1000;
    private static final String FINISHED = "finished";

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final RouteTable.Worker worker;
    private final Function<DynamodbEvent, StreamsEventResponse> function;
    private final Path checkpointFile;
    /** Shard id to the last sequence number handled, or {@link #FINISHED}. */
    private final Properties checkpoints = new Properties();
    private final Map<String, String> iterators = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    StreamPoller(DynamoDbStreamsClient streams, String streamArn, RouteTable.Worker worker,
                 Function<DynamodbEvent, StreamsEventResponse> function, Path checkpointFile) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.worker = worker;
        this.function = function;
        this.checkpointFile = checkpointFile;
        if (checkpointFile != null && Files.exists(checkpointFile)) {
            try (var in = Files.newInputStream(checkpointFile)) {
                checkpoints.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.thread = new Thread(this::run, "worker-" + worker.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long wait = BUSY_POLL_MILLIS;
        List<Shard> shards = List.of();
        long shardsReadAt = 0;
        while (running) {
            long round = System.nanoTime();
            boolean busy = false;
            boolean full = false;
            try {
                if (shards.isEmpty() || round - shardsReadAt > SHARD_LIST_MILLIS * 1_000_000) {
                    shards = readyShards();
                    shardsReadAt = System.nanoTime();
                }
                for (Shard shard : shards) {
                    int read = pollShard(shard.shardId());
                    busy |= read > 0;
                    full |= read >= worker.batchSize();
                }
                if (shards.stream().anyMatch(s -> FINISHED.equals(checkpoints.getProperty(s.shardId())))) {
                    shards = List.of(); // a shard closed: its children are ready now
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading the stream for {} failed: {}", worker.name(), e.toString());
                    shards = List.of();
                    pause(RETRY_PAUSE_MILLIS);
                }
            }
            if (busy) {
                wait = BUSY_POLL_MILLIS;
                if (!full) { // a part batch: what the next quarter second brings goes into one invocation, as on Lambda
                    pause(BUSY_POLL_MILLIS - (System.nanoTime() - round) / 1_000_000);
                }
            } else {
                pause(wait);
                wait = Math.min(IDLE_POLL_MILLIS, wait * 2); // idle: take less of the CPU the functions share
            }
        }
    }

    /** Unfinished shards whose parent is drained (or gone). */
    private List<Shard> readyShards() {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from)).streamDescription();
            shards.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);
        Map<String, Shard> byId = new LinkedHashMap<>();
        shards.forEach(s -> byId.put(s.shardId(), s));
        return shards.stream()
                .filter(s -> !FINISHED.equals(checkpoints.getProperty(s.shardId())))
                .filter(s -> s.parentShardId() == null || !byId.containsKey(s.parentShardId())
                        || FINISHED.equals(checkpoints.getProperty(s.parentShardId())))
                .toList();
    }

    /** One batch from the shard; the number of records read (wanted by the worker or not), 0 for none. */
    private int pollShard(String shardId) {
        String iterator = iterators.computeIfAbsent(shardId, this::iteratorFromCheckpoint);
        GetRecordsResponse response;
        try {
            response = streams.getRecords(b -> b.shardIterator(iterator).limit(worker.batchSize()));
        } catch (ExpiredIteratorException | ResourceNotFoundException e) {
            iterators.remove(shardId);
            return 0;
        }
        List<Record> records = response.records();
        if (records.isEmpty()) {
            advance(shardId, response.nextShardIterator());
            return 0;
        }
        // as Lambda's event filtering: a record the worker does not want is dropped without an invocation
        List<Record> wanted = records.stream()
                .filter(r -> worker.wants(r.eventNameAsString(), sortKey(r), flag -> flagged(r, flag)))
                .toList();
        String lastRead = records.get(records.size() - 1).dynamodb().sequenceNumber();
        if (wanted.isEmpty()) {
            checkpoint(shardId, lastRead);
            advance(shardId, response.nextShardIterator());
            return records.size();
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(wanted.stream().map(this::record).toList());
        List<String> sequenceNumbers = wanted.stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        int resume = PartialBatch.streamResumeIndex(sequenceNumbers, () -> function.apply(event));
        if (resume == wanted.size()) {
            checkpoint(shardId, lastRead);
            advance(shardId, response.nextShardIterator());
            return records.size();
        }
        if (resume > 0) {
            checkpoint(shardId, sequenceNumbers.get(resume - 1));
        }
        // Read again from the failed record on, after a pause (Lambda retries at once; this spares the laptop).
        iterators.remove(shardId);
        pause(RETRY_PAUSE_MILLIS);
        return 0;
    }

    /** Whether the record's new image holds {@code attribute} as a boolean (as a filter's {@code BOOL} path sees it). */
    private static boolean flagged(Record record, String attribute) {
        var image = record.dynamodb().newImage();
        var value = image == null ? null : image.get(attribute);
        return value != null && value.bool() != null;
    }

    private static String sortKey(Record record) {
        var keys = record.dynamodb().keys();
        var sk = keys == null ? null : keys.get(dev.sendsar.dynamo.TableKeys.SK);
        return sk == null ? null : sk.s();
    }

    /** Moves on in the shard; no next iterator means a closed shard read to its end. */
    private void advance(String shardId, String nextIterator) {
        if (nextIterator == null) {
            checkpoint(shardId, FINISHED);
            iterators.remove(shardId);
        } else {
            iterators.put(shardId, nextIterator);
        }
    }

    private String iteratorFromCheckpoint(String shardId) {
        String after = checkpoints.getProperty(shardId);
        return streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (after == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            }
        }).shardIterator();
    }

    private void checkpoint(String shardId, String position) {
        checkpoints.setProperty(shardId, position);
        if (checkpointFile == null) {
            return;
        }
        try {
            Path temp = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".tmp");
            try (var out = Files.newOutputStream(temp)) {
                checkpoints.store(out, "Stream positions of worker " + worker.name());
            }
            Files.move(temp, checkpointFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record as Lambda's event source builds it. */
    private DynamodbEvent.DynamodbStreamRecord record(Record source) {
        var change = source.dynamodb();
        StreamRecord data = new StreamRecord()
                .withSequenceNumber(change.sequenceNumber())
                .withSizeBytes(change.sizeBytes())
                .withStreamViewType(change.streamViewType() == null ? null
                        : com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.fromValue(change.streamViewTypeAsString()))
                .withApproximateCreationDateTime(change.approximateCreationDateTime() == null ? null
                        : Date.from(change.approximateCreationDateTime()));
        if (change.hasKeys()) {
            data.setKeys(attributes(change.keys()));
        }
        if (change.hasNewImage()) {
            data.setNewImage(attributes(change.newImage()));
        }
        if (change.hasOldImage()) {
            data.setOldImage(attributes(change.oldImage()));
        }
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID(source.eventID());
        record.setEventName(source.eventNameAsString());
        record.setEventVersion(source.eventVersion());
        record.setEventSource("aws:dynamodb");
        record.setAwsRegion("us-east-1");
        record.setEventSourceARN(streamArn);
        record.setDynamodb(data);
        return record;
    }

    private static Map<String, AttributeValue> attributes(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> source) {
        Map<String, AttributeValue> converted = new LinkedHashMap<>();
        source.forEach((name, value) -> converted.put(name, attribute(value)));
        return converted;
    }

    private static AttributeValue attribute(software.amazon.awssdk.services.dynamodb.model.AttributeValue v) {
        AttributeValue a = new AttributeValue();
        if (v.s() != null) {
            a.setS(v.s());
        } else if (v.n() != null) {
            a.setN(v.n());
        } else if (v.b() != null) {
            a.setB(v.b().asByteBuffer());
        } else if (v.bool() != null) {
            a.setBOOL(v.bool());
        } else if (Boolean.TRUE.equals(v.nul())) {
            a.setNULL(true);
        } else if (v.hasSs()) {
            a.setSS(v.ss());
        } else if (v.hasNs()) {
            a.setNS(v.ns());
        } else if (v.hasBs()) {
            a.setBS(v.bs().stream().map(b -> b.asByteBuffer()).toList());
        } else if (v.hasM()) {
            a.setM(attributes(v.m()));
        } else if (v.hasL()) {
            a.setL(v.l().stream().map(StreamPoller::attribute).toList());
        }
        return a;
    }

    private void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops after the batch in hand. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join((worker.timeoutSeconds() + 1) * 1000L);
    }
}
