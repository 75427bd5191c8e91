package dev.researchmon.magics.command;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicSignature;
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
    static final MagicSignature SIGNATURE = MagicSignature.line(
                    "gpu",
                    "the GPUs now: utilization, memory, temperature, power, which notebooks hold memory, and this"
                            + " notebook's GPU energy and time")
            .build();

    private final MonitoringSession session;

    public GpuMagic(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public MagicSignature signature() {
        return SIGNATURE;
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        SIGNATURE.parse(call);
        return GpuView.render(
                new GpuReader(Duration.ofSeconds(5)).read(session.settings().sidecarUrl()),
                ctx.identity().kernelId());
    }
}
