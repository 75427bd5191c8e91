package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {
    private final QueryTemplate template = new QueryTemplate(
            Map.of("gpu", List.of("0", "1"), "notebook", List.of("train.ipynb"), "instance", List.of("127.0.0.1:9100")),
            "30s",
            "10m");

    @Test
    void multiValuedVariable_becomesAnAlternation() {
        assertEquals("gpu_utilization_ratio{gpu=~\"0|1\"}", template.expand("gpu_utilization_ratio{gpu=~\"$gpu\"}"));
    }

    @Test
    void regexCharactersInValues_areEscapedForPromqlStrings() {
        // train.ipynb must match only itself: the dot escaped, the backslash doubled inside "...".
        assertEquals("x{notebook=~\"train\\\\.ipynb\"}", template.expand("x{notebook=~\"${notebook}\"}"));
    }

    @Test
    void grafanaIntervalVariables_becomeFixedDurations() {
        assertEquals(
                "rate(x[30s]) + increase(x[10m]) + 600",
                template.expand("rate(x[$__rate_interval]) + increase(x[$__range]) + $__range_s"));
    }

    @Test
    void allVariableSyntaxes_areExpanded() {
        assertEquals("0|1 0|1 0|1", template.expand("$gpu ${gpu:regex} [[gpu]]"));
    }

    @Test
    void unknownVariable_failsNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> template.expand("up{job=\"$jobb\"}"));
        assertTrue(e.getMessage().contains("$jobb"), e.getMessage());
    }

    @Test
    void variableWithoutValues_failsNamingIt() {
        QueryTemplate empty = new QueryTemplate(Map.of("gpu", List.of()), "30s", "10m");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> empty.expand("gpu_temperature_celsius{gpu=~\"$gpu\"}"));
        assertTrue(e.getMessage().contains("$gpu has no value"), e.getMessage());
    }

    @Test
    void malformedDuration_isRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new QueryTemplate(Map.of(), "soon", "10m"));
        assertTrue(e.getMessage().contains("soon"), e.getMessage());
    }
}
