package dev.researchmon.kernel.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JupyterServerTest {
    @TempDir
    Path dir;

    @Test
    void findAll_readsNotebook6AndServer2Files_withUrlTokenAndPid() throws Exception {
        // the fields as notebook 6.4's nbserver-*.json and jupyter_server 2's jpserver-*.json write them
        Files.writeString(dir.resolve("nbserver-101.json"), """
                {"base_url": "/", "hostname": "localhost", "notebook_dir": "/home/u", "password": false,
                 "pid": 101, "port": 8888, "secure": false, "sock": "", "token": "abc",
                 "url": "http://localhost:8888/"}""");
        Files.writeString(dir.resolve("jpserver-202.json"), """
                {"base_url": "/lab-base/", "hostname": "127.0.0.1", "password": false, "pid": 202, "port": 9999,
                 "root_dir": "/home/u", "secure": false, "sock": "", "token": "def", "url": "http://127.0.0.1:9999/lab-base/",
                 "version": "2.14.2"}""");
        Map<Long, JupyterServer> byPid =
                JupyterServer.findAll(List.of(dir)).stream().collect(Collectors.toMap(JupyterServer::pid, s -> s));

        assertEquals(Set.of(101L, 202L), byPid.keySet());
        assertEquals(
                URI.create("http://localhost:8888/api/sessions"),
                byPid.get(101L).sessionsUri());
        assertEquals("abc", byPid.get(101L).token());
        assertEquals(
                URI.create("http://127.0.0.1:9999/lab-base/api/sessions"),
                byPid.get(202L).sessionsUri());
        assertEquals("def", byPid.get(202L).token());
    }

    @Test
    void findAll_skipsMalformedFiles_unixSocketServers_andOtherRuntimeFiles() throws Exception {
        Files.writeString(dir.resolve("nbserver-1.json"), "{ not json");
        Files.writeString(dir.resolve("jpserver-2.json"), """
                {"pid": 2, "sock": "/run/jupyter.sock", "url": "http+unix://%2Frun%2Fjupyter.sock", "token": ""}""");
        Files.writeString(dir.resolve("jpserver-3.json"), "{\"pid\": 3}");
        Files.writeString(dir.resolve("kernel-abc.json"), "{\"url\": \"http://localhost:1/\"}");
        Files.writeString(dir.resolve("jpserver-4-open.html"), "<html/>");

        assertEquals(List.of(), JupyterServer.findAll(List.of(dir, dir.resolve("missing"))));
    }

    @Test
    void read_wildcardAddress_isAskedOnLoopback() throws Exception {
        Path f = Files.writeString(
                dir.resolve("nbserver-5.json"),
                "{\"pid\": 5, \"url\": \"http://0.0.0.0:8890/base/\", \"token\": \"t\", \"sock\": \"\"}");

        assertEquals(
                URI.create("http://127.0.0.1:8890/base/api/sessions"),
                JupyterServer.read(f).orElseThrow().sessionsUri());
    }

    @Test
    void runtimeDirs_connectionFilesFolderFirst_thenJupyterRuntimeDir_thenDataDirRuntime() {
        List<Path> dirs = JupyterServer.runtimeDirs(
                Path.of("/srv/rt/kernel-1.json"),
                Map.of(
                        "JUPYTER_RUNTIME_DIR",
                        "/env/rt",
                        "JUPYTER_DATA_DIR",
                        "/data",
                        "XDG_RUNTIME_DIR",
                        "/run/user/7"));

        assertEquals(
                List.of(
                        Path.of("/srv/rt"),
                        Path.of("/env/rt"),
                        Path.of("/data/runtime"),
                        Path.of("/run/user/7/jupyter")),
                dirs);
    }

    @Test
    void runtimeDirs_withoutEnvironment_useTheUsersDataFolder() {
        List<Path> dirs = JupyterServer.runtimeDirs(Path.of("/srv/rt/kernel-1.json"), Map.of());

        assertTrue(
                dirs.contains(Path.of(System.getProperty("user.home"), ".local", "share", "jupyter", "runtime")),
                dirs.toString());
    }
}
