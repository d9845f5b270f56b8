package dev.sendsar.infra;

import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parent template and every nested route stack's, read as one deployment: in each nested template a reference to
 * one of its parameters is replaced by what the parent passes (so a grant on the table names the table's logical id),
 * and in the parent a nested stack's output by the output's value (so an integration names the alias it invokes).
 */
@SuppressWarnings("unchecked")
final class StackTemplates {
    final SendsarStack stack;
    final Template parent;
    private final Map<String, Object> parentResources;
    private final Map<RouteStack, Map<String, Object>> nestedResources = new LinkedHashMap<>();

    StackTemplates(SendsarStack stack) {
        this.stack = stack;
        this.parent = Template.fromStack(stack);
        Map<String, Object> parentJson = parent.toJSON();
        Map<String, Map<String, Object>> outputsByStackId = new LinkedHashMap<>();
        Map<RouteStack, Map<String, Object>> nestedJson = new LinkedHashMap<>();
        for (RouteStack nested : stack.routeStacks()) {
            String id = stack.getLogicalId((CfnElement) nested.getNestedStackResource());
            Map<String, Object> json = Template.fromStack(nested).toJSON();
            Map<String, Object> resource = (Map<String, Object>) resources(parentJson).get(id);
            Map<String, Object> parameters = (Map<String, Object>) ((Map<String, Object>) resource.get("Properties"))
                    .getOrDefault("Parameters", Map.of());
            Map<String, Object> resolved = (Map<String, Object>) replace(json, value -> {
                if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Ref") instanceof String ref && parameters.containsKey(ref)) {
                    return parameters.get(ref);
                }
                return null;
            });
            nestedJson.put(nested, resolved);
            outputsByStackId.put(id, (Map<String, Object>) resolved.getOrDefault("Outputs", Map.of()));
        }
        Map<String, Object> resolvedParent = (Map<String, Object>) replace(parentJson, value -> {
            if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::GetAtt") instanceof List<?> att
                    && outputsByStackId.containsKey(att.get(0)) && String.valueOf(att.get(1)).startsWith("Outputs.")) {
                Map<String, Object> output = (Map<String, Object>) outputsByStackId.get(att.get(0))
                        .get(String.valueOf(att.get(1)).substring("Outputs.".length()));
                return output.get("Value");
            }
            return null;
        });
        this.parentResources = resources(resolvedParent);
        nestedJson.forEach((nested, json) -> nestedResources.put(nested, resources(json)));
    }

    /** Resources of {@code type} in the parent and every nested stack, by logical id (unique across them all). */
    Map<String, Map<String, Object>> findResources(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>(ofType(parentResources, type));
        for (Map<String, Object> resources : nestedResources.values()) {
            ofType(resources, type).forEach((id, r) -> {
                if (found.put(id, r) != null) {
                    throw new AssertionError("logical id " + id + " is in more than one template");
                }
            });
        }
        return found;
    }

    /** Resources of {@code type} in one template: the parent or one nested stack. */
    Map<String, Map<String, Object>> findResourcesIn(Stack template, String type) {
        return ofType(resourcesOf(template), type);
    }

    /** Every resource of every template. */
    List<Map<String, Object>> allResources() {
        List<Map<String, Object>> all = new ArrayList<>();
        parentResources.values().forEach(r -> all.add((Map<String, Object>) r));
        nestedResources.values().forEach(rs -> rs.values().forEach(r -> all.add((Map<String, Object>) r)));
        return all;
    }

    int resourceCount(Stack template) {
        return resourcesOf(template).size();
    }

    List<RouteStack> nested() {
        return List.copyOf(nestedResources.keySet());
    }

    private Map<String, Object> resourcesOf(Stack template) {
        Map<String, Object> resources = template == stack ? parentResources : nestedResources.get(template);
        if (resources == null) {
            throw new IllegalArgumentException("not a template of this deployment: " + template.getNode().getPath());
        }
        return resources;
    }

    private static Map<String, Object> resources(Map<String, Object> template) {
        return (Map<String, Object>) template.get("Resources");
    }

    private static Map<String, Map<String, Object>> ofType(Map<String, Object> resources, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources.forEach((id, r) -> {
            if (type.equals(((Map<String, Object>) r).get("Type"))) {
                found.put(id, (Map<String, Object>) r);
            }
        });
        return found;
    }

    /** A deep copy of {@code value} in which every node {@code replacement} answers for is replaced. */
    private static Object replace(Object value, java.util.function.Function<Object, Object> replacement) {
        Object replaced = replacement.apply(value);
        if (replaced != null) {
            return replaced;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), replace(v, replacement)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> replace(v, replacement)).toList();
        }
        return value;
    }
}
