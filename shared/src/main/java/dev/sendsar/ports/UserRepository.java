package dev.sendsar.ports;

import dev.sendsar.domain.User;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Users of a tenant. */
public interface UserRepository {

    /** Fields of an upsert; {@code null} leaves the stored value as it is. */
    record UserFields(String username, String avatarUrl, Map<String, Object> metadata, String appCode) {
    }

    record Upserted(User user, boolean created) {
    }

    /** Creates the user or overwrites the given fields; never fails for an existing user. */
    Upserted upsert(String tenantId, String userId, UserFields fields);

    Optional<User> find(String tenantId, String userId);

    /** The users that exist among {@code userIds}, by id. */
    Map<String, User> findAll(String tenantId, Collection<String> userIds);
}
