package dev.sendsar.fakes;

import dev.sendsar.ports.FanOutQueue;

import java.util.ArrayList;
import java.util.List;

/** Keeps what was queued; {@link #refuse} makes it take nothing, as a queue that is down. */
public final class InMemoryFanOutQueue implements FanOutQueue {
    public final List<Batch> queued = new ArrayList<>();
    public volatile boolean refuse;

    @Override
    public synchronized List<Batch> enqueue(List<Batch> batches) {
        if (refuse) {
            return batches;
        }
        queued.addAll(batches);
        return List.of();
    }
}
