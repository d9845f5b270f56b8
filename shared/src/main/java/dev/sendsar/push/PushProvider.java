package dev.sendsar.push;

import dev.sendsar.domain.DeviceToken;

/**
 * One push service (FCM, APNs, OneSignal, Web Push). Implementations never throw for a provider's answer or a
 * network failure: they say what it means for the token.
 */
public interface PushProvider {

    /** The device tokens it serves, as tokens name their provider: FCM, APNS, ONESIGNAL or WEBPUSH. */
    String tokenProvider();

    Outcome send(PushCredentials.Provider credentials, DeviceToken token, Notification notification);

    enum Outcome {
        /** The provider accepted it: never send it again. */
        DELIVERED,
        /** The provider says the token will never work again: delete it. */
        DEAD_TOKEN,
        /** Throttled, a server error or no answer: try again later. */
        RETRY,
        /** Refused for a reason retrying will not fix (credentials, payload): give up on this one. */
        REJECTED
    }

    /** The outcome a plain HTTP status means when nothing more specific applies. */
    static Outcome byStatus(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        if (status == 429 || status >= 500) {
            return Outcome.RETRY;
        }
        return Outcome.REJECTED;
    }
}
