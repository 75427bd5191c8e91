package dev.researchmon.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NotebookNameTest {
    private static final JupyterServer SERVER =
            new JupyterServer(Path.of("nbserver-1.json"), URI.create("http://127.0.0.1:1/"), "t", 1);
    private final AtomicLong clock = new AtomicLong();

    private NotebookName name(Optional<String> server, Optional<String> sessionName, Optional<String> commandLine) {
        return new NotebookName("k", () -> List.of(SERVER), s -> server, sessionName, () -> commandLine, clock::get);
    }

    @Test
    void theServersSession_winsOverSessionNameAndCommandLine() {
        assertEquals(
                "dir/a.ipynb",
                name(Optional.of("dir/a.ipynb"), Optional.of("/abs/dir/a.ipynb"), Optional.of("x.ipynb"))
                        .get());
    }

    @Test
    void withoutServerSession_jpySessionName_thenTheCommandLine_thenUnknown() {
        assertEquals(
                "/abs/a.ipynb",
                name(Optional.empty(), Optional.of("/abs/a.ipynb"), Optional.of("x.ipynb"))
                        .get());
        assertEquals(
                "x.ipynb",
                name(Optional.empty(), Optional.of(" "), Optional.of("x.ipynb")).get());
        assertEquals(
                NotebookName.UNKNOWN,
                name(Optional.empty(), Optional.empty(), Optional.empty()).get());
    }

    @Test
    void aRename_isSeenOnceTheAnswerIsOlderThanTheRefresh() {
        AtomicReference<Optional<String>> path = new AtomicReference<>(Optional.of("old.ipynb"));
        AtomicInteger asked = new AtomicInteger();
        NotebookName name = new NotebookName(
                "k",
                () -> List.of(SERVER),
                s -> {
                    asked.incrementAndGet();
                    return path.get();
                },
                Optional.empty(),
                Optional::empty,
                clock::get);

        assertEquals("old.ipynb", name.get());
        path.set(Optional.of("renamed/new.ipynb"));
        clock.addAndGet(NotebookName.REFRESH.toNanos() - 1);
        assertEquals("old.ipynb", name.get(), "reports in a burst share one answer");
        clock.addAndGet(1);
        assertEquals("renamed/new.ipynb", name.get());
        assertEquals(2, asked.get());
    }

    @Test
    void liveServers_leaveOutDeadServers_andPutTheStarterFirst() {
        long me = ProcessHandle.current().pid();
        JupyterServer other = new JupyterServer(Path.of("a"), URI.create("http://127.0.0.1:2/"), "", -1);
        JupyterServer starter = new JupyterServer(Path.of("b"), URI.create("http://127.0.0.1:3/"), "", me);
        JupyterServer dead =
                new JupyterServer(Path.of("c"), URI.create("http://127.0.0.1:4/"), "", Integer.MAX_VALUE - 7);

        assertEquals(List.of(starter, other), NotebookName.liveServers(List.of(other, dead, starter), me));
    }
}
