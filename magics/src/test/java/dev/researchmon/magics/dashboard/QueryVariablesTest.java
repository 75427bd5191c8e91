package dev.researchmon.magics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryVariablesTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration STEP = Duration.ofSeconds(15);
    private static final Duration SCRAPE = Duration.ofSeconds(15);

    private static QueryVariables vars(List<String> declared, Map<String, String> chosen) {
        return new QueryVariables(declared, chosen, HOUR, STEP, SCRAPE);
    }

    @Test
    void chosenVariable_becomesItsValue_inEverySyntaxGrafanaKnows() {
        QueryVariables v = vars(List.of("notebook"), Map.of("notebook", QueryVariables.exactly("a.ipynb")));
        assertEquals(
                "x{notebook=~\"a\\\\.ipynb\"} y{notebook=~\"a\\\\.ipynb\"} z{notebook=~\"a\\\\.ipynb\"}",
                v.fill("x{notebook=~\"$notebook\"} y{notebook=~\"${notebook}\"} z{notebook=~\"[[notebook]]\"}"));
    }

    @Test
    void declaredVariableWithoutAChoice_matchesEverything() {
        // helper dashboards may add variables (host, gpu, ...): each one the magic does not fill is "All"
        QueryVariables v = vars(List.of("instance", "gpu", "host", "cluster"), Map.of());
        assertEquals(
                "m{instance=~\".*\", gpu=~\".*\", host=~\".*\", c=~\".*\"}",
                v.fill("m{instance=~\"$instance\", gpu=~\"$gpu\", host=~\"${host}\", c=~\"${cluster:regex}\"}"));
    }

    @Test
    void undeclaredDollarWord_isLeftAsItIs() {
        assertEquals("x{a=~\"foo$bar\"}", vars(List.of("gpu"), Map.of()).fill("x{a=~\"foo$bar\"}"));
    }

    @Test
    void rateInterval_isFourScrapesOrAStepAndAScrape_likeGrafana() {
        assertEquals("rate(x[60s])", vars(List.of(), Map.of()).fill("rate(x[$__rate_interval])"));
        QueryVariables coarse =
                new QueryVariables(List.of(), Map.of(), Duration.ofDays(1), Duration.ofMinutes(6), SCRAPE);
        assertEquals("rate(x[375s])", coarse.fill("rate(x[$__rate_interval])"));
        QueryVariables fast = new QueryVariables(
                List.of(), Map.of(), Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofMillis(200));
        assertEquals("rate(x[1200ms])", fast.fill("rate(x[$__rate_interval])"));
    }

    @Test
    void rangeAndInterval_becomeTheShownRangeAndTheStep() {
        QueryVariables v = vars(List.of(), Map.of());
        assertEquals(
                "increase(x[3600s]) 15s 3600 15000",
                v.fill("increase(x[$__range]) $__interval $__range_s $__interval_ms"));
    }

    @Test
    void exactly_escapesRegexAndPromqlStringSpecials() {
        assertEquals("a b\\\\.ipynb", QueryVariables.exactly("a b.ipynb"));
        assertEquals("runs/\\\\(1\\\\)\\\\+\\\\[x\\\\]\\\\.ipynb", QueryVariables.exactly("runs/(1)+[x].ipynb"));
        assertEquals("say \\\"hi\\\"", QueryVariables.exactly("say \"hi\""));
    }

    @Test
    void host_matchesThisHostOrSeriesWithoutTheLabel() {
        QueryVariables v = vars(List.of("host"), Map.of("host", QueryVariables.exactlyOrAbsent("gpu-01.lab")));
        assertEquals("up{host=~\"(?:gpu-01\\\\.lab)?\"}", v.fill("up{host=~\"$host\"}"));
    }
}
