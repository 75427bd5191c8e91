package dev.researchmon.sidecar.gpu;

/**
 * Reads the state of every GPU. The only implementation that touches native code is
 * {@link NvmlGpuReader}; everything above it sees this interface. Not thread-safe: one refresher
 * thread calls it.
 *
 * <pre>{@code
 * try (GpuReader reader = NvmlGpuReader.open(Optional.empty())) {
 *   GpuReading now = reader.read();
 * }
 * }</pre>
 */
public interface GpuReader extends AutoCloseable {
    /** One pass over all GPUs; a field a GPU does not support is left out of its device. */
    GpuReading read() throws GpuUnavailableException;

    @Override
    void close();
}
