package dev.sendsar.webhooks;

import dev.sendsar.error.ApiException;
import dev.sendsar.error.ErrorCode;
import jakarta.inject.Singleton;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * The SSRF guard for every URL a tenant or its users hand us to call (webhook URLs, Web Push subscription endpoints):
 * {@code http(s)} with a host (Web Push: https only), and every address its host resolves to is public: never
 * loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, the metadata service included), CGNAT
 * (100.64/10), multicast, unspecified, or IPv6 unique-local (fc00::/7). Checked at registration and again before each
 * call (DNS can change in between). The local runtime allows loopback, nothing else.
 */
@Singleton
public class UrlGuard {
    private static final int MAX_URL_LENGTH = 2048;
    private final boolean allowLoopback;

    public UrlGuard(WebhookOptions options) {
        this.allowLoopback = options.isAllowLoopback();
    }

    /** What a URL is for: the error code and name a refusal gives, and whether plain http is acceptable. */
    public enum Target {
        WEBHOOK(ErrorCode.INVALID_WEBHOOK_URL, "webhook URL", false),
        /** Browsers' push services are always https (RFC 8030 requires it). */
        WEB_PUSH(ErrorCode.INVALID_PUSH_ENDPOINT, "Web Push endpoint", true);

        private final ErrorCode code;
        private final String name;
        private final boolean httpsOnly;

        Target(ErrorCode code, String name, boolean httpsOnly) {
            this.code = code;
            this.name = name;
            this.httpsOnly = httpsOnly;
        }
    }

    /** The URL if it may be called; a 400 with the target's code ({@code invalid_webhook_url}, ...) otherwise. */
    public URI check(String url, Target target) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw invalid(target, "A " + target.name + " is required (at most " + MAX_URL_LENGTH + " characters)");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(target, "The " + target.name + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && (target.httpsOnly || !scheme.equals("http"))) {
            throw invalid(target, "The " + target.name + " must be " + (target.httpsOnly ? "https" : "http or https"));
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw invalid(target, "The " + target.name + " needs a host and no user info");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw invalid(target, "The " + target.name + "'s host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw invalid(target, "The " + target.name + " resolves to a private or reserved address");
            }
        }
        return uri;
    }

    boolean allowed(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0 || first >= 240                         // "this network", reserved, broadcast
                    || (first == 100 && second >= 64 && second < 128)   // CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    || (first == 198 && (second == 18 || second == 19)));
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false;                                           // unique-local fc00::/7
            }
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return allowed(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static ApiException invalid(Target target, String message) {
        return new ApiException(target.code, message);
    }
}
