package dev.tokenbench.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What `mvn package -Dnative -Dquarkus.native.sources-only=true` wrote to target/native-sources/: the inputs the
 * Dockerfile's Mandrel stage compiles. Runs after that command (CI); without native sources there is nothing to
 * check and the test is skipped.
 */
class NativeSourcesIT {

    static final Path SOURCES = Path.of("target/native-sources");

    @Test
    void theNativeImageInputsRegisterTheAppsResourcesAndCommands() throws IOException {
        assumeTrue(Files.isRegularFile(SOURCES.resolve("native-image.args")),
                "no target/native-sources: run mvn package -Dnative -Dquarkus.native.sources-only=true first");
        List<String> args = List.of(Files.readString(SOURCES.resolve("native-image.args")).strip().split("\\s+"));
        assertTrue(args.contains("--no-fallback"), "a real native image, never a JVM fallback: " + args);
        int jar = args.indexOf("-jar");
        assertTrue(jar > 0, args.toString());
        Path runner = SOURCES.resolve(args.get(jar + 1));
        assertTrue(Files.isRegularFile(runner), runner + " is missing");
        assertTrue(Files.isRegularFile(SOURCES.resolve("graalvm.version")), "the Mandrel version it was made for");
        try (Stream<Path> lib = Files.list(SOURCES.resolve("lib"))) {
            assertTrue(lib.anyMatch(p -> p.getFileName().toString().startsWith("com.knuddels.jtokkit")),
                    "jtokkit (and its encodings) among the libraries");
        }

        JsonMapper json = new JsonMapper();
        try (JarFile jarFile = new JarFile(runner.toFile())) {
            JsonNode resources = json.readTree(jarFile.getInputStream(
                    jarFile.getEntry("META-INF/native-image/resource-config.json")));
            Set<String> patterns = new HashSet<>();
            resources.at("/resources/includes").forEach(p -> patterns.add(p.path("pattern").asText()));
            for (String needed : List.of("seeds/.*", "templates/.*", "com/knuddels/jtokkit/.*")) {
                assertTrue(patterns.contains(needed), needed + " not registered: " + patterns);
            }
            JsonNode reflection = json.readTree(jarFile.getInputStream(
                    jarFile.getEntry("META-INF/native-image/reflect-config.json")));
            Set<String> registered = new HashSet<>();
            reflection.forEach(c -> registered.add(c.path("name").asText()));
            // picocli builds the command line from annotations by reflection: every command must be registered.
            for (String command : List.of("TokenbenchCommand", "RunCommand", "ValidateCommand", "SimCommand")) {
                assertTrue(registered.contains("dev.tokenbench.cli." + command), command + " not registered for reflection");
            }
            assertEquals(0, registered.stream().filter(n -> n.startsWith("dev.tokenbench.measure.")).count(),
                    "measurement records are written by hand, never reflected on: " + registered);
        }
    }
}
