package dev.sendsar.error;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorCodeTest {

    @Test
    void theSdksListOfServerCodes_isTheCatalog() throws Exception {
        String errors = Files.readString(Path.of("..", "sdk", "javascript", "src", "errors.ts"));
        int start = errors.indexOf("export type KnownServerErrorCode");
        String union = errors.substring(start, errors.indexOf(';', start));
        List<String> sdk = Pattern.compile("\"([a-z_]+)\"").matcher(union).results().map(m -> m.group(1)).toList();
        assertEquals(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList(), sdk);
    }

    @Test
    void codesAreSnakeCase_andStatusesAreErrors() {
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(code.code().matches("[a-z]+(_[a-z]+)*"), code.code());
            assertTrue(code.status() >= 400 && code.status() <= 599, code.code());
        }
    }
}
