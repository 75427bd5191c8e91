package dev.researchmon.sidecar;

import dev.researchmon.sidecar.notebook.ReportLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@link Sidecar#start} needs, as parsed from the command line by {@link SidecarMain}.
 *
 * <pre>{@code
 * SidecarOptions o = SidecarOptions.defaults(tokenFile).withPort(0);
 * }</pre>
 *
 * @param port TCP port ({@code 0}: any free one)
 * @param bind address /metrics listens on; reports are loopback-only whatever it is
 * @param nvmlLibrary NVML to load instead of {@code libnvidia-ml.so.1} from the loader path
 * @param tokenFile where the report token is read or created
 * @param gpu whether the GPU collector runs
 * @param notebook whether the notebook collector and the report endpoint run
 * @param jvm whether the sidecar's own JVM and process metrics are exposed
 * @param gpuInterval delay between two GPU refreshes
 * @param limits bounds on reports
 */
public record SidecarOptions(
        int port,
        String bind,
        Optional<Path> nvmlLibrary,
        Path tokenFile,
        boolean gpu,
        boolean notebook,
        boolean jvm,
        Duration gpuInterval,
        ReportLimits limits) {

    public static SidecarOptions defaults(Path tokenFile) {
        return new SidecarOptions(
                9464,
                "127.0.0.1",
                Optional.empty(),
                tokenFile,
                true,
                true,
                true,
                Duration.ofSeconds(2),
                ReportLimits.DEFAULTS);
    }

    public SidecarOptions withPort(int p) {
        return new SidecarOptions(p, bind, nvmlLibrary, tokenFile, gpu, notebook, jvm, gpuInterval, limits);
    }

    public SidecarOptions withNvmlLibrary(Path library) {
        return new SidecarOptions(port, bind, Optional.of(library), tokenFile, gpu, notebook, jvm, gpuInterval, limits);
    }

    public SidecarOptions withJvm(boolean on) {
        return new SidecarOptions(port, bind, nvmlLibrary, tokenFile, gpu, notebook, on, gpuInterval, limits);
    }

    public SidecarOptions withGpu(boolean on) {
        return new SidecarOptions(port, bind, nvmlLibrary, tokenFile, on, notebook, jvm, gpuInterval, limits);
    }

    public SidecarOptions withLimits(ReportLimits l) {
        return new SidecarOptions(port, bind, nvmlLibrary, tokenFile, gpu, notebook, jvm, gpuInterval, l);
    }
}
