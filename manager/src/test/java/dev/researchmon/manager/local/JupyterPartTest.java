package dev.researchmon.manager.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JupyterPartTest {
    @TempDir
    Path dir;

    private LocalContext context() {
        return new LocalContext(
                dir, dir.resolve("state"), null, Map.of(), null, null, new PrintWriter(new StringWriter()));
    }

    @Test
    void jupyterLabInstalled_startsJupyterLabOnJupyterServer_andStatusSaysSo() throws Exception {
        Path lab = Files.createFile(
                dir.resolve("jupyter-lab"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        JupyterPart part = new JupyterPart(lab);
        List<String> command = part.command(context(), 8888);
        assertEquals(lab.toString(), command.get(0));
        assertTrue(command.contains("--ServerApp.authenticate_prometheus=False"), command.toString());
        assertTrue(command.contains("--port=8888"), command.toString());
        assertEquals(List.of(lab), part.needs(context()));
        assertTrue(part.statusDetail(context()).startsWith("JupyterLab (" + lab + ")"), part.statusDetail(context()));
    }

    @Test
    void noJupyterLab_startsTheClassicNotebook_andStatusSaysSo() {
        JupyterPart part = new JupyterPart(dir.resolve("not-installed/jupyter-lab"));
        List<String> command = part.command(context(), 8888);
        assertEquals(List.of(JupyterPart.JUPYTER.toString(), "notebook"), command.subList(0, 2));
        assertTrue(command.contains("--NotebookApp.authenticate_prometheus=False"), command.toString());
        assertEquals(List.of(JupyterPart.JUPYTER), part.needs(context()));
        assertTrue(part.statusDetail(context()).startsWith("classic notebook"), part.statusDetail(context()));
    }
}
