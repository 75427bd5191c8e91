package dev.researchmon.magics.dashboard;

import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.prometheus.PrometheusClient;
import dev.researchmon.magics.prometheus.Series;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a panel has nothing to draw, in one sentence a researcher can act on: the collector its
 * series come from is not scraped or not answering (node-exporter, cAdvisor, the sidecar), the
 * sidecar's GPU collector is off, monitoring is off in this kernel, a recording rule is not
 * loaded, or simply no data yet. What it asks Prometheus ({@code up}, the sidecar's collector
 * states, the loaded rules) it asks once per {@code %dashboard}, and only for empty panels.
 *
 * <pre>{@code
 * EmptyReasons why = new EmptyReasons(prometheus, monitoringOn, true, "1h");
 * String reason = why.of(panel);   // "No data: monitoring is off in this kernel; %monitoring on ..."
 * }</pre>
 */
final class EmptyReasons {
    private static final Pattern RECORDING_RULE = Pattern.compile("\\b([a-zA-Z_]\\w*:\\w+:\\w+)\\b");

    /** Where a panel's series come from: the scrape job, its collector, and what to call it. */
    private enum Source {
        NODE("node-exporter", "node-exporter, the host collector"),
        CONTAINERS("cadvisor", "cAdvisor, the container collector (it runs only where a container engine does)"),
        GPU("research", "the metrics sidecar"),
        NOTEBOOK("research", "the metrics sidecar"),
        SIDECAR("research", "the metrics sidecar"),
        OTHER("", "");

        final String job;
        final String what;

        Source(String job, String what) {
            this.job = job;
            this.what = what;
        }

        static Source of(String exprs) {
            if (exprs.contains("node_")) {
                return NODE;
            }
            if (exprs.contains("container_")) {
                return CONTAINERS;
            }
            if (exprs.contains("gpu_") || exprs.contains("gpu:")) {
                return GPU;
            }
            if (exprs.contains("notebook_") || exprs.contains("notebook:") || exprs.contains("training_")) {
                return NOTEBOOK;
            }
            if (exprs.contains("sidecar_") || exprs.contains("component=\"sidecar\"")) {
                return SIDECAR;
            }
            return OTHER;
        }
    }

    private final PrometheusClient prometheus;
    private final boolean monitoringOn;
    private final boolean thisNotebook;
    private final String rangeText;
    private List<Series> up;
    private List<Series> collectors;
    private Optional<Set<String>> rules;

    /**
     * @param monitoringOn whether this kernel reports its metrics
     * @param thisNotebook whether the panels are filtered to this notebook
     * @param rangeText    the range shown, as the user wrote it ({@code 1h})
     */
    EmptyReasons(PrometheusClient prometheus, boolean monitoringOn, boolean thisNotebook, String rangeText) {
        this.prometheus = prometheus;
        this.monitoringOn = monitoringOn;
        this.thisNotebook = thisNotebook;
        this.rangeText = rangeText;
    }

    /** The reason {@code panel}, whose queries returned no series, is empty. */
    String of(Dashboard.Panel panel) {
        String exprs = String.join(
                "\n", panel.targets().stream().map(Dashboard.Target::expr).toList());
        Source source = Source.of(exprs);
        try {
            if (!source.job.isEmpty()) {
                List<Series> targets = up().stream()
                        .filter(s -> source.job.equals(s.labels().get("job")))
                        .toList();
                if (targets.isEmpty()) {
                    return "No data: Prometheus has no target of job \"" + source.job + "\" (" + source.what + ").";
                }
                if (targets.stream().noneMatch(s -> s.samples().get(0).value() == 1)) {
                    return "No data: Prometheus cannot scrape job \"" + source.job + "\" at "
                            + targets.get(0).labels().getOrDefault("instance", "its target") + " (" + source.what
                            + "): the target is down.";
                }
            }
            if (source == Source.GPU) {
                Optional<Series> gpu = collectors().stream()
                        .filter(s -> "gpu".equals(s.labels().get("collector")))
                        .findFirst();
                if (gpu.isEmpty()) {
                    return "No data: the sidecar's GPU collector is off.";
                }
                if (gpu.get().samples().get(0).value() != 1) {
                    return "No data: the sidecar's GPU collector is failing (no NVIDIA GPU or NVML on this host; %gpu tells more).";
                }
            }
            if (source == Source.NOTEBOOK && thisNotebook && !monitoringOn) {
                return "No data: monitoring is off in this kernel; %monitoring on reports this notebook's cells.";
            }
            Matcher rule = RECORDING_RULE.matcher(exprs);
            while (rule.find()) {
                if (rules().isPresent() && !rules().get().contains(rule.group(1))) {
                    return "No data: Prometheus does not evaluate the recording rule " + rule.group(1)
                            + " (monitoring/prometheus/rules/recording.yml is not loaded).";
                }
            }
        } catch (MagicException e) {
            return "No data: " + e.getMessage();
        }
        if (source == Source.NOTEBOOK && exprs.contains("training_")) {
            return "No data yet: no training metrics from " + (thisNotebook ? "this notebook" : "any notebook")
                    + " in the last " + rangeText + ".";
        }
        return "No data yet in the last " + rangeText
                + (source == Source.NOTEBOOK && thisNotebook ? " for this notebook." : ".");
    }

    private List<Series> up() throws MagicException {
        if (up == null) {
            up = prometheus.instant("up");
        }
        return up;
    }

    private List<Series> collectors() throws MagicException {
        if (collectors == null) {
            collectors = prometheus.instant("sidecar_collector_success");
        }
        return collectors;
    }

    /** The loaded recording rules; empty where the store does not list them (VictoriaMetrics leaves that to vmalert). */
    private Optional<Set<String>> rules() {
        if (rules == null) {
            try {
                rules = Optional.of(prometheus.recordingRules());
            } catch (MagicException unknown) {
                rules = Optional.empty();
            }
        }
        return rules;
    }
}
