package dev.researchmon.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void aConnectionFileAlone_isJupyterLaunch() {
        assertTrue(Main.isJupyterLaunch(new String[] {"/run/user/1000/jupyter/kernel-4f2a.json"}));
        assertTrue(Main.isJupyterLaunch(new String[] {"kernel-4f2a.json"}));
    }

    @Test
    void commandsAndOptions_goThroughPicocli() {
        assertFalse(Main.isJupyterLaunch(new String[] {}));
        assertFalse(Main.isJupyterLaunch(new String[] {"install"}));
        assertFalse(Main.isJupyterLaunch(new String[] {"install", "--name", "java"}));
        assertFalse(Main.isJupyterLaunch(new String[] {"--help"}));
        assertFalse(Main.isJupyterLaunch(new String[] {"-V"}));
        assertFalse(Main.isJupyterLaunch(new String[] {"@args.txt"}));
        assertFalse(Main.isJupyterLaunch(new String[] {"kernel-1.json", "extra"}));
    }

    @Test
    void kernelIdFromJupytersFileName() {
        assertEquals("4f2a-77", Main.kernelId(java.nio.file.Path.of("/tmp/kernel-4f2a-77.json")));
    }
}
