package dev.researchmon.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineNotebookTest {
    private static final Path CWD = Path.of("/home/u/project");

    @Test
    void nbconvertExecute_namesItsNotebook_relativeToWhereItRuns() {
        assertEquals(
                Optional.of("notebooks/run 1.ipynb"),
                CommandLineNotebook.of(
                        List.of(
                                "/usr/bin/python3",
                                "/usr/bin/jupyter-nbconvert",
                                "--to",
                                "notebook",
                                "--execute",
                                "notebooks/run 1.ipynb"),
                        CWD));
        assertEquals(
                Optional.of("/tmp/x.ipynb"),
                CommandLineNotebook.of(
                        List.of("/usr/bin/python3", "/usr/bin/jupyter-nbconvert", "--execute", "/tmp/x.ipynb"), CWD));
    }

    @Test
    void outputNotebook_isNotTheOneThatRuns() {
        assertEquals(
                Optional.of("in.ipynb"),
                CommandLineNotebook.of(
                        List.of(
                                "jupyter-nbconvert",
                                "--execute",
                                "--output",
                                "out.ipynb",
                                "--output=other.ipynb",
                                "in.ipynb"),
                        CWD));
    }

    @Test
    void papermill_runsItsFirstNotebook() {
        assertEquals(
                Optional.of("in.ipynb"),
                CommandLineNotebook.of(
                        List.of(
                                "/usr/bin/python3",
                                "/usr/local/bin/papermill",
                                "in.ipynb",
                                "out.ipynb",
                                "-p",
                                "alpha",
                                "0.1"),
                        CWD));
    }

    @Test
    void severalNotebooksOrNone_cannotTell() {
        assertEquals(
                Optional.empty(),
                CommandLineNotebook.of(List.of("jupyter-nbconvert", "--execute", "a.ipynb", "b.ipynb"), CWD));
        assertEquals(Optional.empty(), CommandLineNotebook.of(List.of("/usr/bin/python3", "driver.py"), CWD));
    }
}
