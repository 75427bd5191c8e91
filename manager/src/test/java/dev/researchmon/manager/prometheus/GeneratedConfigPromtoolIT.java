package dev.researchmon.manager.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.manager.local.PrometheusConfigGenerator;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import dev.researchmon.testkit.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Debian's promtool accepts the local runtime's prometheus.yml with remote write, for every kind of auth. */
class GeneratedConfigPromtoolIT {
    static final Path REPO =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"none", "bearer", "basic", "https-ca"})
    void generatedConfig_withRemoteWrite_passesPromtoolCheckConfig(String auth) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t\n");
        RemoteWrite remoteWrite = switch (auth) {
            case "bearer" ->
                RemoteWrite.of("http://127.0.0.1:8428/api/v1/write", new RemoteWrite.Bearer(secret), Optional.empty());
            case "basic" ->
                RemoteWrite.of(
                        "http://127.0.0.1:8428/api/v1/write", new RemoteWrite.Basic("gpu-a", secret), Optional.empty());
            case "https-ca" ->
                RemoteWrite.of("https://central:8428/api/v1/write", new RemoteWrite.NoAuth(), Optional.of(secret));
            default -> RemoteWrite.of("http://127.0.0.1:8428/api/v1/write", new RemoteWrite.NoAuth(), Optional.empty());
        };
        StackDescription stack = ComposeFile.load(REPO.resolve("docker/compose.yaml"), Map.of(), false);
        Path config = new PrometheusConfigGenerator(
                        stack.service("prometheus"),
                        Map.of("prometheus:9090", "127.0.0.1:19090", "node-exporter:9100", "127.0.0.1:19100"),
                        stack.services().stream().map(ServiceSpec::name).collect(Collectors.toSet()))
                .withShipping(new HostShipping("gpu-a", Optional.of(remoteWrite), Optional.of("1s")))
                .write(dir.resolve("prometheus.yml"));

        Promtool.Result result = Promtool.run(dir, "check", "config", config.toString());
        String output = result.output();
        assertEquals(0, result.exitCode(), output + "\n" + Files.readString(config));
        assertTrue(output.contains("SUCCESS"), output);
        assertTrue(!Files.readString(config).contains("s3cr3t"), "a secret was copied into the config");
    }
}
