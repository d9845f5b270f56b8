package dev.sendsar.functions;

import dev.sendsar.routes.RouteTable;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API reference generated at compile time (micronaut-openapi, {@code META-INF/swagger/sendsar.yml}) lists every
 * route of the route table, and every route documents its errors as the common {@code ErrorBody}.
 */
class OpenApiDocumentTest {
    static final String DOCUMENT = "META-INF/swagger/sendsar.yml";
    private static final String ERROR_BODY = "#/components/schemas/ErrorBody";

    @SuppressWarnings("unchecked")
    static Map<String, Object> document() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertNotNull(in, DOCUMENT + " is not on the classpath: is the micronaut-openapi processor in functions/pom.xml?");
            return new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> operation(Map<String, Object> doc, RouteTable.HttpRoute route) {
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        Map<String, Object> item = (Map<String, Object>) paths.get(route.path());
        return item == null ? null : (Map<String, Object>) item.get(route.method().toLowerCase(Locale.ROOT));
    }

    @Test
    void everyRouteOfTheRouteTableIsDocumented() throws IOException {
        Map<String, Object> doc = document();
        List<String> missing = new ArrayList<>();
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            if (operation(doc, route) == null) {
                missing.add(route.routeKey());
            }
        }
        assertEquals(List.of(), missing, "routes missing from " + DOCUMENT);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRouteDocumentsItsErrorsAsErrorBody() throws IOException {
        Map<String, Object> doc = document();
        List<String> undocumented = new ArrayList<>();
        for (RouteTable.HttpRoute route : RouteTable.HTTP) {
            Map<String, Object> operation = operation(doc, route);
            if (operation == null) {
                continue; // the other test names it
            }
            Map<String, Object> responses = (Map<String, Object>) operation.getOrDefault("responses", Map.of());
            boolean success = responses.keySet().stream().anyMatch(code -> code.startsWith("2"));
            List<String> errors = responses.keySet().stream().filter(code -> code.startsWith("4") || code.startsWith("5")).toList();
            boolean allErrorBodies = !errors.isEmpty() && errors.stream()
                    .allMatch(code -> ERROR_BODY.equals(schemaRef((Map<String, Object>) responses.get(code))));
            if (!success || !allErrorBodies) {
                undocumented.add(route.routeKey() + " " + responses.keySet());
            }
        }
        assertEquals(List.of(), undocumented, "routes without a success response or without ErrorBody error responses:"
                + " annotate the controller class with @ApiErrors.Standard (or the method with @ApiErrors.Public), and"
                + " methods with @ApiErrors.NotFound / @ApiErrors.Conflict where they apply");
    }

    @Test
    @SuppressWarnings("unchecked")
    void errorBodyAndTheThreeCredentialsAreDescribed() throws IOException {
        Map<String, Object> components = (Map<String, Object>) document().get("components");
        Map<String, Object> errorBody = (Map<String, Object>) ((Map<String, Object>) components.get("schemas")).get("ErrorBody");
        assertNotNull(errorBody, "ErrorBody schema");
        assertTrue(((Map<String, Object>) errorBody.get("properties")).keySet()
                .containsAll(List.of("statusCode", "error", "code", "message", "details")), errorBody.toString());
        Map<String, Map<String, Object>> schemes = (Map<String, Map<String, Object>>) components.get("securitySchemes");
        assertEquals("x-api-key", schemes.get("apiKey").get("name"));
        assertEquals("bearer", schemes.get("sessionToken").get("scheme"));
        assertEquals("x-admin-key", schemes.get("adminKey").get("name"));
    }

    @SuppressWarnings("unchecked")
    private static String schemaRef(Map<String, Object> response) {
        Map<String, Object> content = (Map<String, Object>) response.get("content");
        if (content == null || content.isEmpty()) {
            return null;
        }
        Map<String, Object> json = (Map<String, Object>) content.values().iterator().next();
        Map<String, Object> schema = json == null ? null : (Map<String, Object>) json.get("schema");
        return schema == null ? null : (String) schema.get("$ref");
    }
}
