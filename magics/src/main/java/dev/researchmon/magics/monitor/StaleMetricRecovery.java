package dev.researchmon.magics.monitor;

import dev.researchmon.magics.api.SnippetRecovery;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets a notebook re-run the cell that registers a metric. client_java refuses a second collector
 * with the same name and label names ("NAME: duplicate metric name with identical label schema");
 * in a notebook the first one is stale, from the previous run of the same cell, so this unregisters
 * it and asks the kernel to run the snippet again.
 *
 * <p>The registry offers no lookup by name, so the registered collectors are read from its private
 * {@code collectors} set (client_java is pinned by the parent pom; a test covers this). Should that
 * field ever be missing, the recovery declines and the user sees client_java's own error.
 *
 * <pre>{@code
 * new StaleMetricRecovery(PrometheusRegistry.defaultRegistry)
 *     .recover("java.lang.IllegalArgumentException", "loss: duplicate metric name with identical label schema []");
 * }</pre>
 */
public final class StaleMetricRecovery implements SnippetRecovery {
    private static final Pattern DUPLICATE = Pattern.compile("^(\\S+): duplicate metric name\\b");

    private final PrometheusRegistry registry;

    public StaleMetricRecovery(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean recover(String exceptionClassName, String message) {
        if (!IllegalArgumentException.class.getName().equals(exceptionClassName) || message == null) {
            return false;
        }
        Matcher m = DUPLICATE.matcher(message);
        return m.find() && unregister(m.group(1));
    }

    /** Unregisters every collector of this name; false when there was none (or it cannot be seen). */
    boolean unregister(String prometheusName) {
        List<Collector> stale = registered().stream()
                .filter(c -> prometheusName.equals(c.getPrometheusName()))
                .toList();
        stale.forEach(registry::unregister);
        return !stale.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private List<Collector> registered() {
        try {
            Field f = PrometheusRegistry.class.getDeclaredField("collectors");
            f.setAccessible(true);
            return List.copyOf((Set<Collector>) f.get(registry));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of();
        }
    }
}
