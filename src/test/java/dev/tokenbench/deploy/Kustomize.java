package dev.tokenbench.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize that deploy/k8s uses, for tests on a machine without kubectl: resources (files and
 * directories), components, patches (strategic merge from a file, JSON 6902 inline with a kind target),
 * nameSuffix, namespace and labels (metadata, pod templates, selectors when includeSelectors). Anything
 * else in a kustomization fails the test, so a manifest never uses a feature this renderer would ignore.
 */
final class Kustomize {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "resources", "components",
            "patches", "nameSuffix", "namespace", "labels");

    private Kustomize() {
    }

    static List<JsonNode> readAll(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static List<ObjectNode> render(Path dir) {
        return render(dir, List.of());
    }

    /** @param extraComponents components added as if the kustomization listed them (the commented-out ones) */
    static List<ObjectNode> render(Path dir, List<Path> extraComponents) {
        JsonNode k = kustomization(dir);
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : k.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                requireFile(path, dir);
                readAll(path).forEach(doc -> objects.add((ObjectNode) doc));
            }
        }
        List<Path> components = new ArrayList<>();
        k.path("components").forEach(c -> components.add(dir.resolve(c.asText()).normalize()));
        components.addAll(extraComponents);
        for (Path component : components) {
            JsonNode c = kustomization(component);
            if (!c.path("kind").asText().equals("Component")) {
                throw new AssertionError(component + " is not a Component");
            }
            applyPatches(component, c, objects);
        }
        applyPatches(dir, k, objects);

        String suffix = k.path("nameSuffix").asText("");
        if (!suffix.isEmpty()) {
            Map<String, String> renamed = new HashMap<>();
            for (ObjectNode o : objects) {
                String name = o.at("/metadata/name").asText();
                renamed.put(o.path("kind").asText() + "/" + name, name + suffix);
                ((ObjectNode) o.path("metadata")).put("name", name + suffix);
            }
            // kustomize follows the references it knows; deploy/k8s only has config map volumes.
            for (ObjectNode o : objects) {
                for (JsonNode volume : podSpec(o).path("volumes")) {
                    JsonNode ref = volume.path("configMap");
                    String to = renamed.get("ConfigMap/" + ref.path("name").asText());
                    if (to != null) {
                        ((ObjectNode) ref).put("name", to);
                    }
                }
            }
        }
        if (k.has("namespace")) {
            objects.forEach(o -> ((ObjectNode) o.path("metadata")).put("namespace", k.path("namespace").asText()));
        }
        for (JsonNode labels : k.path("labels")) {
            for (ObjectNode o : objects) {
                addAll(o, "/metadata", labels.path("pairs"));
                if (labels.path("includeTemplates").asBoolean() || labels.path("includeSelectors").asBoolean()) {
                    for (String template : List.of("/spec/template/metadata", "/spec/jobTemplate/metadata",
                            "/spec/jobTemplate/spec/template/metadata")) {
                        if (!o.at(template.substring(0, template.lastIndexOf('/'))).isMissingNode()) {
                            addAll(o, template, labels.path("pairs"));
                        }
                    }
                }
                if (labels.path("includeSelectors").asBoolean()) {
                    String kind = o.path("kind").asText();
                    if (kind.equals("Service")) {
                        addTo((ObjectNode) o.path("spec"), "selector", labels.path("pairs"));
                    } else if (o.at("/spec/selector").isObject() && !kind.equals("ServiceMonitor")) {
                        addTo((ObjectNode) o.at("/spec/selector"), "matchLabels", labels.path("pairs"));
                    }
                }
            }
        }
        return objects;
    }

    private static JsonNode kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        requireFile(file, dir);
        JsonNode k = readAll(file).get(0);
        k.fieldNames().forEachRemaining(f -> {
            if (!KNOWN_FIELDS.contains(f)) {
                throw new AssertionError(file + ": " + f + " is not rendered by this test's Kustomize");
            }
        });
        return k;
    }

    private static void requireFile(Path file, Path dir) {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(dir + " refers to " + file + ", which does not exist");
        }
    }

    private static JsonNode podSpec(ObjectNode o) {
        JsonNode job = o.at("/spec/jobTemplate/spec/template/spec");
        return job.isMissingNode() ? o.at("/spec/template/spec") : job;
    }

    private static void addAll(ObjectNode o, String pointer, JsonNode pairs) {
        ObjectNode parent = o;
        for (String part : pointer.substring(1).split("/")) {
            parent = parent.has(part) ? (ObjectNode) parent.get(part) : parent.putObject(part);
        }
        addTo(parent, "labels", pairs);
    }

    private static void addTo(ObjectNode parent, String field, JsonNode pairs) {
        ObjectNode target = parent.has(field) ? (ObjectNode) parent.get(field) : parent.putObject(field);
        pairs.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
    }

    private static void applyPatches(Path dir, JsonNode k, List<ObjectNode> objects) {
        for (JsonNode patch : k.path("patches")) {
            if (patch.has("path")) {
                Path file = dir.resolve(patch.path("path").asText());
                requireFile(file, dir);
                for (JsonNode doc : readAll(file)) {
                    ObjectNode target = find(objects, doc.path("kind").asText(), doc.at("/metadata/name").asText(), file);
                    strategicMerge(target, doc);
                }
            } else {
                String kind = patch.at("/target/kind").asText();
                List<ObjectNode> targets = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
                if (targets.isEmpty()) {
                    throw new AssertionError(dir + ": a patch targets " + kind + ", none rendered");
                }
                try {
                    JsonNode ops = YAML.readTree(patch.path("patch").asText());
                    targets.forEach(t -> ops.forEach(op -> json6902(t, op, dir)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name, Path patch) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(patch + " patches " + kind + "/" + name + ", not rendered"));
    }

    /** Maps merge field by field; lists of objects with a name merge by name; other lists are replaced. */
    static void strategicMerge(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(e -> {
            JsonNode current = target.get(e.getKey());
            JsonNode value = e.getValue();
            if (current instanceof ObjectNode obj && value.isObject()) {
                strategicMerge(obj, value);
            } else if (current instanceof ArrayNode list && value.isArray() && named(value) && named(list)) {
                for (JsonNode item : value) {
                    ObjectNode match = null;
                    for (JsonNode existing : list) {
                        if (existing.path("name").equals(item.path("name"))) {
                            match = (ObjectNode) existing;
                        }
                    }
                    if (match == null) {
                        list.add(item.deepCopy());
                    } else {
                        strategicMerge(match, item);
                    }
                }
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        });
    }

    private static boolean named(JsonNode list) {
        for (JsonNode item : list) {
            if (!item.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** Only "add" (with "-" to append), which is all deploy/k8s uses. */
    private static void json6902(ObjectNode target, JsonNode op, Path dir) {
        if (!op.path("op").asText().equals("add")) {
            throw new AssertionError(dir + ": only op add is rendered here, not " + op);
        }
        String path = op.path("path").asText();
        String parentPath = path.substring(0, path.lastIndexOf('/'));
        String last = path.substring(path.lastIndexOf('/') + 1);
        JsonNode parent = target.at(parentPath);
        if (parent instanceof ArrayNode list && last.equals("-")) {
            list.add(op.path("value").deepCopy());
        } else if (parent instanceof ArrayNode list) {
            list.insert(Integer.parseInt(last), op.path("value").deepCopy());
        } else if (parent instanceof ObjectNode obj) {
            obj.set(last, op.path("value").deepCopy());
        } else {
            throw new AssertionError(dir + ": " + path + " has no parent in " + target.at("/metadata/name"));
        }
    }
}
