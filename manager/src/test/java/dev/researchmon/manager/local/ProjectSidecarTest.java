package dev.researchmon.manager.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.researchmon.report.SidecarEndpoints;
import org.junit.jupiter.api.Test;

class ProjectSidecarTest {
    @Test
    void healthPrefix_isTheSidecarsOwn() {
        assertEquals(SidecarEndpoints.HEALTH_PREFIX, ProjectSidecar.HEALTH_PREFIX);
        assertEquals(SidecarEndpoints.healthLine(42), ProjectSidecar.HEALTH_PREFIX + 42);
    }
}
