package dev.researchmon.manager.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.manager.ManagerException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {
    private final Interpolator interpolator = new Interpolator(Map.of("PORT", "19090", "EMPTY", "", "NAME", "lab"));

    @Test
    void setVariable_replacesReferenceAndIgnoresDefault() {
        assertEquals("127.0.0.1:19090:9090", interpolator.apply("127.0.0.1:${PORT:-9090}:9090"));
    }

    @Test
    void unsetVariable_takesDefault() {
        assertEquals("127.0.0.1:3000:3000", interpolator.apply("127.0.0.1:${GRAFANA_PORT:-3000}:3000"));
    }

    @Test
    void emptyVariable_takesDefaultOnlyWithColonForm() {
        assertEquals("admin", interpolator.apply("${EMPTY:-admin}"));
        assertEquals("", interpolator.apply("${EMPTY-admin}"));
    }

    @Test
    void bareReferenceAndDoubleDollar_followCompose() {
        assertEquals("lab costs $5, unset is ''", interpolator.apply("$NAME costs $$5, unset is '${UNSET}'"));
    }

    @Test
    void unterminatedReference_isAClearError() {
        ManagerException e = assertThrows(ManagerException.class, () -> interpolator.apply("port ${PORT"));
        assertTrue(e.getMessage().contains("bad variable reference"), e.getMessage());
    }

    @Test
    void requiredVariable_isRefusedWithItsMessage_whenUnset_andWithTheColonFormWhenEmpty() {
        ManagerException e =
                assertThrows(ManagerException.class, () -> interpolator.apply("${STORE_PASSWORD?the store is closed}"));
        assertEquals("the compose file needs STORE_PASSWORD: the store is closed", e.getMessage());
        assertEquals("", interpolator.apply("${EMPTY?given, even if empty}"));
        assertThrows(ManagerException.class, () -> interpolator.apply("${EMPTY:?not empty}"));
        assertEquals("lab", interpolator.apply("${NAME:?needed}"));
    }
}
