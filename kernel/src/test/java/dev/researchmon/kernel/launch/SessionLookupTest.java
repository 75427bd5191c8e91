package dev.researchmon.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionLookupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pathOf_findsTheSessionRunningTheKernel_notebook6Shape() throws Exception {
        // GET /api/sessions as notebook 6.4 answers it
        var sessions = JSON.readTree("""
                [{"id": "s1", "path": "other.ipynb", "name": "", "type": "notebook",
                  "kernel": {"id": "k-other", "name": "java"}, "notebook": {"path": "other.ipynb", "name": ""}},
                 {"id": "s2", "path": "my runs/train.ipynb", "name": "", "type": "notebook",
                  "kernel": {"id": "k-mine", "name": "java"}, "notebook": {"path": "my runs/train.ipynb", "name": ""}}]""");

        assertEquals(Optional.of("my runs/train.ipynb"), SessionLookup.pathOf(sessions, "k-mine"));
    }

    @Test
    void pathOf_server2Shape_andNotebookOnlyShape() throws Exception {
        var server2 = JSON.readTree("""
                [{"id": "s", "path": "a/b.ipynb", "name": "b.ipynb", "type": "notebook", "kernel": {"id": "k"}}]""");
        var nested = JSON.readTree("""
                [{"id": "s", "kernel": {"id": "k"}, "notebook": {"path": "old/c.ipynb"}}]""");

        assertEquals(Optional.of("a/b.ipynb"), SessionLookup.pathOf(server2, "k"));
        assertEquals(Optional.of("old/c.ipynb"), SessionLookup.pathOf(nested, "k"));
    }

    @Test
    void pathOf_unknownKernelOrNotAList_givesNothing() throws Exception {
        assertEquals(
                Optional.empty(),
                SessionLookup.pathOf(JSON.readTree("[{\"kernel\": {\"id\": \"x\"}, \"path\": \"p\"}]"), "k"));
        assertEquals(Optional.empty(), SessionLookup.pathOf(JSON.readTree("{\"message\": \"Forbidden\"}"), "k"));
    }
}
