package dev.researchmon.magics.gpu;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.render.Table;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

/**
 * Shows a {@link GpuState} the way {@code nvidia-smi} users read it: one row per GPU, then the
 * notebooks holding GPU memory.
 *
 * <pre>{@code
 * Display d = GpuView.render(state);
 * }</pre>
 */
public final class GpuView {
    public static final String NO_GPU = "No GPU: the sidecar sees no NVIDIA GPU on this machine.";

    private GpuView() {}

    public static Display render(GpuState state) {
        return render(state, null);
    }

    /** With what {@code kernelId}'s notebook spent on each GPU since the sidecar first saw it. */
    public static Display render(GpuState state, String kernelId) {
        if (state.gpus().isEmpty()) {
            return Display.text(NO_GPU);
        }
        Table gpus = new Table(List.of("GPU", "Name", "Util", "Memory used / total", "Temp", "Power"));
        for (GpuState.Gpu g : state.gpus()) {
            gpus.row(
                    g.index(),
                    g.name(),
                    or(g.utilizationRatio(), v -> String.format(Locale.ROOT, "%.0f %%", v * 100)),
                    or(g.memoryUsedBytes(), GpuView::mib) + " / " + or(g.memoryTotalBytes(), GpuView::mib),
                    or(g.temperatureCelsius(), v -> String.format(Locale.ROOT, "%.0f C", v)),
                    or(g.powerWatts(), v -> String.format(Locale.ROOT, "%.0f W", v)));
        }
        String html = gpus.html();
        String text = gpus.text();
        if (!state.holders().isEmpty()) {
            Table holders = new Table(List.of("GPU", "Notebook", "Kernel", "GPU memory"));
            for (GpuState.Holder h : state.holders()) {
                holders.row(
                        h.gpu(),
                        h.notebook().isEmpty() ? "-" : h.notebook(),
                        h.kernelId().isEmpty() ? "-" : h.kernelId(),
                        mib(h.memoryBytes()));
            }
            html += "\n<p>Notebooks holding GPU memory</p>\n" + holders.html();
            text += "\n\nNotebooks holding GPU memory\n" + holders.text();
        }
        List<GpuState.Spent> spent = kernelId == null ? List.of() : state.spentBy(kernelId);
        if (!spent.isEmpty()) {
            Table mine = new Table(List.of("GPU", "GPU time", "Energy"));
            for (GpuState.Spent s : spent) {
                mine.row(
                        s.gpu(),
                        String.format(Locale.ROOT, "%.1f s", s.busySeconds()),
                        String.format(Locale.ROOT, "%.1f J (%.4f kWh)", s.joules(), s.joules() / 3.6e6));
            }
            String title =
                    "This notebook since the sidecar first saw its kernel (share of each GPU's energy by utilization)";
            html += "\n<p>" + title + "</p>\n" + mine.html();
            text += "\n\n" + title + "\n" + mine.text();
        }
        return Display.html(html, text);
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024 * 1024));
    }

    private static String or(OptionalDouble v, DoubleFunction<String> format) {
        return v.isPresent() ? format.apply(v.getAsDouble()) : "N/A";
    }
}
