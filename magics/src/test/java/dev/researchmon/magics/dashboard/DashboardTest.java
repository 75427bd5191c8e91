package dev.researchmon.magics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardTest {

    @Test
    void packaged_isTheProvisionedDashboard_withItsRowsVariablesAndUnits() {
        Dashboard d = Dashboard.packaged();
        assertEquals("research-environment", d.uid());
        assertTrue(
                d.variables().containsAll(List.of("instance", "gpu", "notebook")),
                d.variables().toString());
        assertFalse(d.find("GPUs").isEmpty());
        Dashboard.Panel memory = d.panel("kernel memory").orElseThrow();
        assertEquals(Dashboard.Type.TIMESERIES, memory.type());
        assertEquals("bytes", memory.unit());
        assertTrue(memory.targets().get(0).expr().contains("$notebook"));
    }

    @Test
    void rows_groupThePanelsThatFollowThem_andCollapsedRowsTheirOwn() throws Exception {
        Dashboard d = Dashboard.parse(new ObjectMapper().readTree("""
                {"uid": "u", "title": "T", "templating": {"list": [{"name": "v"}]}, "panels": [
                  {"type": "stat", "id": 1, "title": "Top", "targets": [{"expr": "up"}]},
                  {"type": "row", "id": 2, "title": "Open"},
                  {"type": "timeseries", "id": 3, "title": "A", "fieldConfig": {"defaults": {"unit": "s"}},
                   "targets": [{"expr": "a", "legendFormat": "{{x}}"}, {"expr": "hidden", "hide": true}]},
                  {"type": "text", "id": 4, "title": "Notes"},
                  {"type": "row", "id": 5, "title": "Closed", "collapsed": true, "panels": [
                    {"type": "timeseries", "id": 6, "title": "B", "targets": [{"expr": "b"}]}]}
                ]}"""));
        assertEquals(
                List.of("", "Open", "Closed"),
                d.rows().stream().map(Dashboard.Row::title).toList());
        assertEquals(
                List.of("Top", "A", "B"),
                d.panels().stream().map(Dashboard.Panel::title).toList());
        assertEquals(
                List.of(new Dashboard.Target("a", "{{x}}")),
                d.panel("A").orElseThrow().targets());
        assertEquals(
                List.of("B"),
                d.find("closed").stream().map(Dashboard.Panel::title).toList());
        assertEquals(
                List.of("A"), d.find("3").stream().map(Dashboard.Panel::title).toList());
        assertTrue(d.find("nothing").isEmpty());
    }
}
