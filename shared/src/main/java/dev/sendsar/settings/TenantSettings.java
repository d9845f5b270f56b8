package dev.sendsar.settings;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A tenant's effective settings: the defaults of the contract (§6) with the tenant's overrides deep-merged over them.
 * Services read them through {@link TenantSettingsService#settings(String)}.
 */
@Serdeable
public record TenantSettings(Chat chat, Calls calls) {

    @Serdeable
    public record Chat(String deletedMessageDisplay, Media media, RateLimits rateLimits) {
        /** Whether a deleted message stays in the timeline as a placeholder (else it is left out). */
        public boolean deletedShownAsPlaceholder() {
            return PLACEHOLDER.equals(deletedMessageDisplay);
        }
    }

    @Serdeable
    public record Media(boolean enabled, long maxFileSizeBytes, List<String> allowedMimeTypes, int presignTtlSeconds) {
        /** Whether {@code mediaType} (parameters ignored, any case) matches an entry, {@code type/*} matching a family. */
        public boolean allows(String mediaType) {
            if (mediaType == null) {
                return false;
            }
            String type = mediaType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            int slash = type.indexOf('/');
            return slash > 0 && allowedMimeTypes.stream().anyMatch(allowed -> allowed.equals(type)
                    || (allowed.endsWith("/*") && type.startsWith(allowed.substring(0, allowed.length() - 1))));
        }
    }

    /**
     * Per user per minute. Beyond the contract's four: {@code messageActions} (edit, delete, react, pin, unpin),
     * {@code receipts} (read and delivery receipts), {@code otherWrites} (every other write a user makes: room and
     * participant changes, leaving, clearing history, device tokens, completing and aborting uploads).
     */
    @Serdeable
    public record RateLimits(int sendMessage, int typing, int joinRoom, int uploadPresign, int messageActions,
                             int receipts, int otherWrites) {
    }

    @Serdeable
    public record Calls(boolean enabled, int maxParticipants, int ringTimeoutSeconds, String defaultType) {
    }

    public static final String PLACEHOLDER = "placeholder";
    public static final String HIDDEN = "hidden";

    /** What a tenant has until it changes something. Office documents are in the list so a chat can share them. */
    public static final TenantSettings DEFAULTS = new TenantSettings(
            new Chat(PLACEHOLDER,
                    new Media(true, 10_485_760L, List.of(
                            "image/*", "video/*", "audio/*", "application/pdf",
                            "text/plain", "text/csv", "text/markdown", "application/rtf", "application/json",
                            "application/zip",
                            "application/msword",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            "application/vnd.ms-excel",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            "application/vnd.ms-powerpoint",
                            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                            "application/vnd.oasis.opendocument.text",
                            "application/vnd.oasis.opendocument.spreadsheet",
                            "application/vnd.oasis.opendocument.presentation"), 300),
                    new RateLimits(60, 120, 60, 30, 120, 300, 60)),
            new Calls(true, 8, 45, "video"));
}
