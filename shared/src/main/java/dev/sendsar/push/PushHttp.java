package dev.sendsar.push;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

/** The one HTTP client of the push providers: HTTP/2 where the server offers it (APNs requires it), bounded waits. */
@Factory
class PushHttp {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    @Singleton
    @Named("push")
    HttpClient pushHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends one provider request; no answer (network error, timeout) means try again later. */
    static PushProvider.Outcome exchange(HttpClient http, HttpRequest request,
                                         Function<HttpResponse<String>, PushProvider.Outcome> meaning) {
        try {
            return meaning.apply(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return PushProvider.Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PushProvider.Outcome.RETRY;
        }
    }
}
