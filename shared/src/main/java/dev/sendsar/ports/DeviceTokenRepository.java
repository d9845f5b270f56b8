package dev.sendsar.ports;

import dev.sendsar.domain.DeviceToken;

import java.util.List;

/** Users' push tokens. */
public interface DeviceTokenRepository {

    /** Stores the token for the user, replacing an earlier registration of the same token. */
    void save(String tenantId, String userId, DeviceToken token);

    /** Removes the token; false when the user had no such token. */
    boolean delete(String tenantId, String userId, String tokenId);

    List<DeviceToken> ofUser(String tenantId, String userId);
}
