package dev.researchmon.magics.command;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.gpu.GpuReader;
import dev.researchmon.magics.gpu.GpuView;
import dev.researchmon.magics.monitor.MonitoringSession;

import java.time.Duration;

/**
 * {@code %gpu}: the GPUs now, from the sidecar, as nvidia-smi users read them.
 *
 * <pre>{@code
 * %gpu
 * }</pre>
 */
public final class GpuMagic implements Magic {
    static final String USAGE = "usage: %gpu";

    private final MonitoringSession session;

    public GpuMagic(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String description() {
        return "the GPUs now: utilization, memory, temperature, power, and which notebooks hold memory";
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        if (!call.args().isEmpty()) {
            throw new MagicUsageException(USAGE + " (it takes no arguments)");
        }
        return GpuView.render(new GpuReader(Duration.ofSeconds(5)).read(session.settings().sidecarUrl()));
    }
}
