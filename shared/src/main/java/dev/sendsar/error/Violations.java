package dev.sendsar.error;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Collects every problem of one request, so the client sees all of them in one 400 rather than one per try. */
public final class Violations {
    /** User ids and external ids: the integrator's own ids. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

    private final List<FieldError> errors = new ArrayList<>();

    public Violations check(boolean ok, String field, String message) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
        return this;
    }

    public Violations id(String value, String field) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "must not be blank"));
        } else if (!ID.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be 1 to 128 characters of A-Z a-z 0-9 _ . : @ -"));
        }
        return this;
    }

    public Violations optionalId(String value, String field) {
        return value == null ? this : id(value, field);
    }

    public Violations maxLength(String value, int max, String field) {
        return check(value == null || value.length() <= max, field, "must be at most " + max + " characters");
    }

    public Violations metadata(Map<String, Object> value, String field) {
        return check(value == null || value.size() <= 50, field, "must have at most 50 keys");
    }

    public Violations size(Collection<?> value, int min, int max, String field) {
        int n = value == null ? 0 : value.size();
        return check(n >= min && n <= max, field, "must have between " + min + " and " + max + " items");
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a 400 {@code validation_failed} naming every collected field, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid", errors);
        }
    }
}
