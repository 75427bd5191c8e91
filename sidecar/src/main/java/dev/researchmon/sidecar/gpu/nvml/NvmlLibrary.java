package dev.researchmon.sidecar.gpu.nvml;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.researchmon.sidecar.gpu.GpuUnavailableException;
import dev.researchmon.sidecar.gpu.NvmlLibraryMissingException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One NVML library file, loaded once per JVM, and its functions bound by JNA's direct mapping in
 * three groups: {@link #functions()} (what every pass needs: without them it is not an NVML the
 * sidecar can use), and the optional {@link #gpm()} and {@link #events()}, which older drivers lack.
 * A direct mapping fails as a whole at binding time when one symbol is missing, where the proxy
 * it replaces failed at the call; grouping keeps "this driver lacks GPM" a normal case.
 *
 * <p>Loading and binding only: NVML itself is initialised by the caller ({@code nvmlInit_v2} is
 * reference-counted, so the GPU reader and the XID watcher each hold their own).
 *
 * <pre>{@code
 * NvmlLibrary library = NvmlLibrary.load(Optional.empty());   // libnvidia-ml.so.1
 * NvmlFunctions nvml = library.functions();
 * int rc = nvml.nvmlInit_v2();
 * if (rc != NvmlTypes.SUCCESS) throw new GpuUnavailableException(library.describe(rc));
 * }</pre>
 */
public final class NvmlLibrary {
    /** Many installs ship only the versioned name (no -dev package), so load exactly that. */
    public static final String DEFAULT_NAME = "libnvidia-ml.so.1";

    private static final Map<String, NvmlLibrary> LOADED = new ConcurrentHashMap<>();

    private final String name;
    private final NativeLibrary library;
    private final DirectMappingLoader loader = new DirectMappingLoader();
    private NvmlFunctions functions;
    private Optional<NvmlGpmFunctions> gpm;
    private Optional<NvmlEventFunctions> events;

    private NvmlLibrary(String name, NativeLibrary library) {
        this.name = name;
        this.library = library;
    }

    /**
     * The library at {@code path}, else {@value #DEFAULT_NAME} from the loader's search path.
     *
     * @throws GpuUnavailableException when it cannot be loaded, naming it
     */
    public static NvmlLibrary load(Optional<Path> path) throws GpuUnavailableException {
        String name = path.map(p -> p.toAbsolutePath().toString()).orElse(DEFAULT_NAME);
        NvmlLibrary loaded = LOADED.get(name);
        if (loaded != null) {
            return loaded;
        }
        NativeLibrary library;
        try {
            library = NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError e) {
            throw new NvmlLibraryMissingException(
                    "NVML library " + name + " cannot be loaded (no NVIDIA driver here?): " + firstLine(e.getMessage()),
                    e);
        }
        return LOADED.computeIfAbsent(name, n -> new NvmlLibrary(n, library));
    }

    /** The library's name or path, as loaded. */
    public String name() {
        return name;
    }

    /**
     * The functions every pass calls.
     *
     * @throws GpuUnavailableException when the library lacks one of them (not NVML, or far too old)
     */
    public synchronized NvmlFunctions functions() throws GpuUnavailableException {
        if (functions == null) {
            try {
                functions = bind(NvmlFunctionsDirect.class);
            } catch (UnsatisfiedLinkError e) {
                throw new GpuUnavailableException(name + " is not an NVML library: " + firstLine(e.getMessage()), e);
            }
        }
        return functions;
    }

    /** GPM, or empty on a driver before R520. */
    public synchronized Optional<NvmlGpmFunctions> gpm() {
        if (gpm == null) {
            gpm = bindOptional(NvmlGpmFunctionsDirect.class);
        }
        return gpm;
    }

    /** The event API, or empty on a library without it. */
    public synchronized Optional<NvmlEventFunctions> events() {
        if (events == null) {
            events = bindOptional(NvmlEventFunctionsDirect.class);
        }
        return events;
    }

    /** {@code rc} in words, for an operator: "NVML error 9 (Driver Not Loaded)". */
    public String describe(int rc) {
        String text = null;
        if (functions != null) {
            try {
                text = functions.nvmlErrorString(rc);
            } catch (UnsatisfiedLinkError e) {
                text = null;
            }
        }
        return "NVML error " + rc + (text == null ? "" : " (" + text + ")");
    }

    /** A call that fills a string buffer, such as {@code nvmlDeviceGetName}. */
    @FunctionalInterface
    public interface StringCall {
        int invoke(byte[] buffer, int length);
    }

    /** What {@code call} wrote, or "" when it failed. */
    public static String string(StringCall call) {
        byte[] buffer = new byte[NvmlTypes.STRING_BUFFER];
        return call.invoke(buffer, buffer.length) == NvmlTypes.SUCCESS ? Native.toString(buffer) : "";
    }

    private <T> Optional<T> bindOptional(Class<? extends T> direct) {
        try {
            return Optional.of(bind(direct));
        } catch (UnsatisfiedLinkError missingSymbol) {
            return Optional.empty();
        }
    }

    /** Registers this library's copy of {@code direct} and returns an instance of it. */
    private <T> T bind(Class<? extends T> direct) {
        Class<?> copy = loader.copyOf(direct);
        Native.register(copy, library);
        try {
            @SuppressWarnings("unchecked")
            T bound = (T) copy.getConstructor().newInstance();
            return bound;
        } catch (InstantiationException
                | IllegalAccessException
                | NoSuchMethodException
                | InvocationTargetException e) {
            throw new IllegalStateException("cannot instantiate " + direct.getName(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
