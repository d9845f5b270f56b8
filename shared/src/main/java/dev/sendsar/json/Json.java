package dev.sendsar.json;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** JSON for stored documents (metadata, message parts) and WebSocket frames, through Micronaut's mapper. */
@Singleton
public class Json {
    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);
    private static final Argument<List<Map<String, Object>>> LIST_OF_MAPS = Argument.listOf(MAP);

    private final JsonMapper mapper;

    public Json(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String json, Class<T> type) throws IOException {
        return mapper.readValue(json, type);
    }

    public Map<String, Object> readMap(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Map<String, Object>> readListOfMaps(String json) {
        try {
            return mapper.readValue(json, LIST_OF_MAPS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
