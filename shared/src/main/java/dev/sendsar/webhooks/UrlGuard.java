package dev.sendsar.webhooks;

import dev.sendsar.error.ApiException;
import jakarta.inject.Singleton;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * The SSRF guard: a webhook URL is {@code http(s)} with a host, and every address its host resolves to is public:
 * never loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, the metadata service included),
 * CGNAT (100.64/10), multicast, unspecified, or IPv6 unique-local (fc00::/7). Checked at registration and again
 * before each delivery (DNS can change in between). The local runtime allows loopback, nothing else.
 */
@Singleton
public class UrlGuard {
    private static final int MAX_URL_LENGTH = 2048;
    private final boolean allowLoopback;

    public UrlGuard(WebhookOptions options) {
        this.allowLoopback = options.isAllowLoopback();
    }

    /** The URL if it may be called; a 400 {@code invalid_webhook_url} otherwise. */
    public URI check(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw invalid("A webhook URL is required (at most " + MAX_URL_LENGTH + " characters)");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("The webhook URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw invalid("The webhook URL must be http or https");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw invalid("The webhook URL needs a host and no user info");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw invalid("The webhook URL's host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw invalid("The webhook URL resolves to a private or reserved address");
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

    private static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_webhook_url", message);
    }
}
