package dev.researchmon.magics.command;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicSignature;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.monitor.MonitoringSession;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.regex.Pattern;

/**
 * {@code %%timed NAME}: runs the cell and records its wall-clock time in histogram NAME (seconds),
 * whether the cell succeeds or fails.
 *
 * <pre>{@code
 * %%timed epoch_seconds
 * trainOneEpoch();
 * }</pre>
 */
public final class TimedMagic implements Magic {
    static final MagicSignature SIGNATURE = MagicSignature.cell(
                    "timed", "run the cell and record its wall-clock seconds in histogram NAME")
            .form(MagicSignature.form().described("NAME", "NAME, a metric name such as epoch_seconds"))
            .build();

    /** The classic metric-name syntax: client_java 1.x accepts any UTF-8, PromQL selectors do not. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final MonitoringSession session;

    public TimedMagic(MonitoringSession session) {
        this.session = session;
    }

    @Override
    public MagicSignature signature() {
        return SIGNATURE;
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        Histogram histogram = histogram(SIGNATURE.parse(call).value("NAME"));
        long start = System.nanoTime();
        try {
            return call.body() == null || call.body().isBlank() ? null : ctx.evaluate(call.body());
        } finally {
            histogram.observe((System.nanoTime() - start) / 1e9);
        }
    }

    private Histogram histogram(String name) throws MagicUsageException {
        if (!NAME.matcher(name).matches()) {
            throw SIGNATURE.error("\"" + name + "\" is not a valid metric name: letters, digits,"
                    + " _ and :, not starting with a digit");
        }
        try {
            return session.timedHistogram(name);
        } catch (IllegalArgumentException e) {
            throw SIGNATURE.error("\"" + name + "\" cannot be used: " + e.getMessage());
        }
    }
}
