package dev.sendsar.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles (nearest rank) over a set of durations in nanoseconds. */
public final class Stats {
    private final long[] sorted;

    public Stats(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    public static Stats of(java.util.Collection<Long> nanos) {
        return new Stats(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    public int count() {
        return sorted.length;
    }

    /** The nearest-rank percentile, {@code q} in (0, 1]. */
    public long percentile(double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public long p50() {
        return percentile(0.50);
    }

    public long p90() {
        return percentile(0.90);
    }

    public long p99() {
        return percentile(0.99);
    }

    public long min() {
        return sorted.length == 0 ? 0 : sorted[0];
    }

    public long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    public double meanMillis() {
        return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0) / 1e6;
    }

    public static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** {@code p50 p90 p99 max} in milliseconds, right-aligned for a table. */
    public String row() {
        return String.format(Locale.ROOT, "%8s %8s %8s %8s", ms(p50()), ms(p90()), ms(p99()), ms(max()));
    }
}
