package dev.sendsar.webhooks;

import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one signed event: 2 s to connect, 5 s in all (headers and body), redirects not followed (a 3xx is a failed
 * attempt: following one could lead anywhere, the SSRF guard checked only the registered URL). The URL is checked by
 * the {@link UrlGuard} before every attempt, since its DNS can change after registration.
 */
@Singleton
public class WebhookSender {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(5);

    /** What one attempt came to; {@code statusCode} null when no response arrived. */
    public record Outcome(boolean ok, Integer statusCode, long latencyMs, String error) {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final UrlGuard guard;

    public WebhookSender(UrlGuard guard) {
        this.guard = guard;
    }

    public Outcome post(WebhookConfig config, String eventId, String body, int attempt) {
        long started = System.nanoTime();
        URI uri;
        try {
            uri = guard.check(config.url(), UrlGuard.Target.WEBHOOK);
        } catch (dev.sendsar.error.ApiException refused) {
            return new Outcome(false, null, 0, refused.getMessage());
        }
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TOTAL_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Sendsar-Webhooks/1")
                .header("X-Webhook-Id", eventId)
                .header("X-Webhook-Timestamp", Long.toString(timestamp))
                .header("X-Webhook-Attempt", Integer.toString(attempt))
                .header("X-Webhook-Signature", WebhookSignatures.seedHeader(config.secret(), body))
                .header("X-Webhook-Signature-V2", WebhookSignatures.v2Header(config.signingSecrets(Instant.now()), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            int status = response.get(TOTAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            long latency = elapsedMillis(started);
            boolean ok = status >= 200 && status < 300;
            return new Outcome(ok, status, latency, ok ? null : "HTTP " + status);
        } catch (TimeoutException e) {
            response.cancel(true);
            return new Outcome(false, null, elapsedMillis(started), "No answer within " + TOTAL_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause instanceof java.net.http.HttpConnectTimeoutException ? "Could not connect within "
                    + CONNECT_TIMEOUT.toSeconds() + " s" : cause instanceof java.net.ConnectException ? "Connection refused"
                    : cause instanceof java.net.http.HttpTimeoutException ? "No answer within " + TOTAL_TIMEOUT.toSeconds() + " s"
                    : "Request failed: " + cause.getClass().getSimpleName();
            return new Outcome(false, null, elapsedMillis(started), reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.cancel(true);
            return new Outcome(false, null, elapsedMillis(started), "Interrupted");
        }
    }

    private static long elapsedMillis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
