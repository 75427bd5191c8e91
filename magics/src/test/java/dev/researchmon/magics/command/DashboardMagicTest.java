package dev.researchmon.magics.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.dashboard.Dashboard;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardMagicTest {
    private final Dashboard dashboard = Dashboard.packaged();

    @Test
    void defaultPanels_allExistInTheProvisionedDashboard() throws Exception {
        List<String> shown = DashboardMagic.select(dashboard, List.of()).stream()
                .map(Dashboard.Panel::title)
                .toList();
        assertEquals(
                DashboardMagic.DEFAULT_PANELS, shown, "a default panel was renamed or removed in the dashboard JSON");
    }

    @Test
    void names_selectRowsAndPanels_eachPanelOnce_inTheOrderAsked() throws Exception {
        List<String> shown = DashboardMagic.select(dashboard, List.of("kernel memory", "Notebooks")).stream()
                .map(Dashboard.Panel::title)
                .toList();
        assertEquals("Kernel memory", shown.get(0));
        assertEquals(1, shown.stream().filter("Kernel memory"::equals).count());
        assertTrue(
                shown.containsAll(List.of("Cells per second", "Failing cells", "Kernel CPU (cores)")),
                shown.toString());
    }

    @Test
    void all_selectsEveryPanel() throws Exception {
        assertEquals(
                dashboard.panels().size(),
                DashboardMagic.select(dashboard, List.of("all")).size());
    }

    @Test
    void step_isAbout240PointsNeverUnderASecond() throws Exception {
        assertEquals(15, DashboardArgs.parse(List.of("--range", "1h")).step().toSeconds());
        assertEquals(1000, DashboardArgs.parse(List.of("--range=2m")).step().toMillis());
    }
}
