package dev.sendsar.service;

import dev.sendsar.error.Violations;

/** Page sizes: {@code limit} from 1 to 100, 50 when absent. */
final class Paging {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private Paging() {
    }

    static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        new Violations().check(requested >= 1 && requested <= MAX_LIMIT, "limit", "must be between 1 and 100").throwIfAny();
        return requested;
    }
}
