package dev.sendsar.push;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Function;

/**
 * The one HTTP client of the push providers: HTTP/2 (APNs requires it; over TLS it is negotiated by ALPN), bounded
 * waits, TLS always verified.
 */
@Factory
class PushHttp {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param trustedCertificate a PEM file of one more certificate to trust besides the JDK's CAs: only the tests set
     *                           it, for their local provider fakes; certificates and host names are still verified
     */
    @Singleton
    @Named("push")
    HttpClient pushHttpClient(@Value("${sendsar.push.trusted-certificate:}") String trustedCertificate) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER);
        if (!trustedCertificate.isBlank()) {
            builder.sslContext(trusting(Path.of(trustedCertificate)));
        }
        return builder.build();
    }

    /** The JDK's default trust anchors plus the certificates of {@code pem}. */
    static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            int n = 0;
            for (TrustManager manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("ca-" + n++, ca);
                    }
                }
            }
            for (Certificate extra : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("trusted-" + n++, extra);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("sendsar.push.trusted-certificate is not a readable PEM certificate: " + pem, e);
        }
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
