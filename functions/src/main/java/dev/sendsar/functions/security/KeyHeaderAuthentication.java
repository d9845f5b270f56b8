package dev.sendsar.functions.security;

import dev.sendsar.error.ErrorCode;
import dev.sendsar.auth.ApiKeyService;
import dev.sendsar.auth.Secrets;
import dev.sendsar.config.SendsarConfig;
import dev.sendsar.domain.Caller;
import dev.sendsar.error.ApiException;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * The two key headers, checked before any bearer token: {@code x-admin-key} (the operator key, compared in constant
 * time) and {@code x-api-key} (a tenant's key, by its hash through {@link ApiKeyService}'s cache). The first key
 * header present decides: a wrong key is a 401 with its own code ({@code invalid_admin_key}, {@code invalid_api_key}),
 * never a fall-through to another credential.
 */
@Singleton
public class KeyHeaderAuthentication implements AuthenticationFetcher<HttpRequest<?>> {
    static final String ADMIN_KEY_HEADER = "x-admin-key";
    static final String API_KEY_HEADER = "x-api-key";

    private final SendsarConfig config;
    private final ApiKeyService apiKeys;

    public KeyHeaderAuthentication(SendsarConfig config, ApiKeyService apiKeys) {
        this.config = config;
        this.apiKeys = apiKeys;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        String adminKey = request.getHeaders().get(ADMIN_KEY_HEADER);
        if (adminKey != null) {
            if (!Secrets.sameSecret(adminKey, config.getAdminKey())) {
                return Publishers.just(new ApiException(ErrorCode.INVALID_ADMIN_KEY, "The operator key is not valid"));
            }
            return Publishers.just(Credentials.authentication(Caller.admin()));
        }
        String apiKey = request.getHeaders().get(API_KEY_HEADER);
        if (apiKey != null) {
            try {
                return Publishers.just(Credentials.authentication(apiKeys.authenticate(apiKey)));
            } catch (ApiException invalid) {
                return Publishers.just(invalid);
            }
        }
        return Publishers.empty();
    }

    @Override
    public int getOrder() {
        return TokenAuthenticationFetcher.ORDER - 100;
    }
}
