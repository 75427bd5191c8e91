package dev.researchmon.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.kernel.eval.CellHooks;
import dev.researchmon.kernel.startup.JitPolicy;
import dev.researchmon.kernel.startup.StartupTuning;
import dev.researchmon.magics.MonitoringSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelspecInstallerTest {

    @Test
    void userDir_honoursJupyterDataDir() {
        assertEquals(
                Path.of("/data/jd/kernels"),
                KernelspecInstaller.userKernelsDir(Map.of("JUPYTER_DATA_DIR", "/data/jd")));
        assertEquals(Path.of("/p/share/jupyter/kernels"), KernelspecInstaller.prefixKernelsDir(Path.of("/p")));
    }

    @Test
    void install_writesAbsoluteArgv_messageInterrupts_andDefaultNameJava(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("research-kernel.jar"));
        Path spec = new KernelspecInstaller(Path.of("/usr/bin/java"), jar)
                .install(dir.resolve("kernels"), KernelspecInstaller.DEFAULT_NAME);
        assertEquals(dir.resolve("kernels/java"), spec);
        JsonNode json = new ObjectMapper().readTree(spec.resolve("kernel.json").toFile());
        JsonNode argv = json.path("argv");
        assertEquals(
                List.of(
                        "/usr/bin/java",
                        "@" + spec.resolve(KernelspecInstaller.OPTIONS_FILE),
                        "-jar",
                        spec.resolve(KernelspecInstaller.JAR_FILE).toString(),
                        "{connection_file}"),
                strings(argv));
        // Java 24+ refuses a security manager flag: the options must hold none
        assertTrue(!options(spec).contains("java.security.manager"), options(spec));
        assertEquals("message", json.path("interrupt_mode").asText());
        assertEquals("java", json.path("language").asText());
        assertTrue(json.path("display_name").asText().contains("Java"));
    }

    @Test
    void defaultJit_keepsC2OffTheCompilerOnly_throughADirectivesFileBesideKernelJson(@TempDir Path dir)
            throws Exception {
        Path jar = Files.createFile(dir.resolve("k.jar"));
        Path spec = new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir, "java");
        String argv = options(spec);
        Path directives = spec.resolve(JitPolicy.DIRECTIVES_FILE).toAbsolutePath();
        assertTrue(argv.toString().contains("-XX:CompilerDirectivesFile=" + directives), argv.toString());
        assertTrue(argv.toString().contains("CompileThresholdScaling,com/sun/tools/javac/*.*"), argv.toString());
        assertTrue(!argv.contains("TieredStopAtLevel"), argv);
        assertTrue(
                argv.contains("-XX:Tier4InvocationThreshold=50000")
                        && argv.contains("-XX:Tier4BackEdgeThreshold=400000"),
                "C2 waits for code that stays hot: " + argv);
        String text = Files.readString(directives);
        assertTrue(
                text.contains("c2: { Exclude: true }")
                        && text.contains("\"jdk/jshell/*.*\"")
                        && text.contains("\"zmq/*.*\""),
                text);
        for (String pattern : JitPolicy.C1_CODE) {
            assertTrue(text.contains("\"" + pattern + "\""), pattern + " missing from " + text);
            assertEquals(
                    JitPolicy.COMPILER_CODE.contains(pattern),
                    argv.toString().contains("CompileThresholdScaling," + pattern + ","),
                    argv.toString());
            for (String keepsC2 : List.of(
                    "REPL/$JShell$12",
                    "java/util/ArrayList",
                    CellHooks.class.getName().replace('.', '/'),
                    "io/prometheus/metrics/core/metrics/Counter",
                    "com/fasterxml/jackson/databind/ObjectMapper")) {
                assertTrue(
                        !matches(pattern, keepsC2),
                        "cells' code, the JDK's collections, the kernel's stop check, the metrics API and a cell's own Jackson keep C2: "
                                + keepsC2 + " matches " + pattern);
            }
        }
    }

    /** Whether a directive pattern ({@code package/prefix*.*}) matches a class: by the start of its name. */
    private static boolean matches(String pattern, String className) {
        return className.startsWith(pattern.substring(0, pattern.indexOf('*')));
    }

    /** The kernel's Jackson, relocated by the shade plugin (ShadedJarIT checks the jar), is left to C1. */
    @Test
    void kernelsRelocatedJackson_isLeftToC1() {
        String mapper = "dev/researchmon/shaded/jackson/databind/ObjectMapper";
        assertTrue(
                JitPolicy.PROTOCOL_CODE.stream().anyMatch(p -> matches(p, mapper)), JitPolicy.PROTOCOL_CODE.toString());
    }

    @Test
    void quickAndFullJit_areTheOtherChoices(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("k.jar"));
        Path quick = new KernelspecInstaller(Path.of("/usr/bin/java"), jar, JitPolicy.QUICK).install(dir, "quick");
        Path full = new KernelspecInstaller(Path.of("/usr/bin/java"), jar, JitPolicy.FULL).install(dir, "full");
        String quickSpec = options(quick);
        String fullSpec = options(full);
        assertTrue(quickSpec.contains("-XX:TieredStopAtLevel=1"), quickSpec);
        assertTrue(
                !fullSpec.contains("TieredStopAtLevel")
                        && !fullSpec.contains("CompilerDirectivesFile")
                        && !fullSpec.contains("Tier4"),
                fullSpec);
        assertTrue(!Files.exists(quick.resolve(JitPolicy.DIRECTIVES_FILE)));
    }

    /**
     * Every option the default kernelspec's options file holds is accepted by the JDK running the
     * build, through the file as kernel.json passes it, without a word.
     */
    @Test
    void defaultOptionsFile_isAcceptedSilently_byThisJdk(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("k.jar"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path spec = new KernelspecInstaller(java, jar).install(dir, "java");
        List<String> command = new java.util.ArrayList<>(strings(argv(spec)).subList(0, 2));
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        assertEquals("", out, "HotSpot's messages must not reach the kernel's stdout");
        assertTrue(err.startsWith("openjdk version") || err.startsWith("java version"), err);
        assertTrue(!err.toLowerCase().contains("warning") && !err.contains("compiler directives"), err);
    }

    @Test
    void badName_isRefused(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("k.jar"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir, "no/slashes"));
        assertTrue(e.getMessage().contains("may hold only"));
    }

    @Test
    void missingJar_isRefused(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new KernelspecInstaller(Path.of("/usr/bin/java"), dir.resolve("none.jar")).install(dir, "java"));
        assertTrue(e.getMessage().contains("mvn package"));
    }

    /** IJava's kernelspec as its installer leaves it: kernel.json, its jar and its dependencies. */
    private static Path ijavaSpec(Path kernels) throws Exception {
        Path ijava = Files.createDirectories(kernels.resolve("java"));
        Files.writeString(ijava.resolve("kernel.json"), """
                {"argv": ["java", "-jar", "/usr/share/jupyter/kernels/java/ijava-1.3.0.jar", "{connection_file}"],
                 "display_name": "Java", "language": "java", "interrupt_mode": "message", "env": {}}""");
        Files.writeString(ijava.resolve("ijava-1.3.0.jar"), "jar");
        Files.createDirectories(ijava.resolve("dependency-jars"));
        Files.writeString(ijava.resolve("dependency-jars/shrinkwrap.jar"), "jar");
        return ijava;
    }

    @Test
    void anotherKernelsSpec_isNotReplaced_withoutReplace(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("research-kernel.jar"));
        Path ijava = ijavaSpec(dir.resolve("kernels"));
        String before = Files.readString(ijava.resolve("kernel.json"));

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"), "java"));

        assertTrue(e.getMessage().contains("--replace") && e.getMessage().contains("\"Java\""), e.getMessage());
        assertEquals(before, Files.readString(ijava.resolve("kernel.json")), "nothing of IJava's is touched");
        assertTrue(Files.exists(ijava.resolve("dependency-jars/shrinkwrap.jar")));
    }

    @Test
    void replace_removesTheOtherKernelsFiles_andWritesOurs(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("research-kernel.jar"));
        Path ijava = ijavaSpec(dir.resolve("kernels"));

        Path spec =
                new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"), "java", true);

        assertEquals(ijava, spec);
        try (var files = Files.list(spec)) {
            assertEquals(
                    java.util.Set.of(
                            spec.resolve("kernel.json"),
                            spec.resolve(JitPolicy.DIRECTIVES_FILE),
                            spec.resolve(KernelspecInstaller.OPTIONS_FILE),
                            spec.resolve(KernelspecInstaller.JAR_FILE)),
                    java.util.Set.copyOf(files.toList()),
                    "IJava's jars are gone, only our files are there");
        }
    }

    @Test
    void reinstallingOverOurOwnSpec_needsNoReplace(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("research-kernel.jar"));
        KernelspecInstaller installer = new KernelspecInstaller(Path.of("/usr/bin/java"), jar);
        installer.install(dir.resolve("kernels"), "java");
        Path again = installer.install(dir.resolve("kernels"), "java");
        assertTrue(Files.isRegularFile(again.resolve("kernel.json")));

        // one written before the marker existed is known by the jar it runs
        Files.writeString(
                again.resolve("kernel.json"),
                "{\"argv\": [\"/usr/bin/java\", \"-jar\", \"/old/kernel/target/research-kernel.jar\", \"{connection_file}\"]}");
        assertEquals(again, installer.install(dir.resolve("kernels"), "java"));
    }

    @Test
    void aFolderWithOtherFilesButNoKernelJson_isNotOurs(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("research-kernel.jar"));
        Files.createDirectories(dir.resolve("kernels/java"));
        Files.writeString(dir.resolve("kernels/java/logo-64x64.png"), "png");
        assertThrows(
                IllegalArgumentException.class,
                () -> new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"), "java"));
        Files.delete(dir.resolve("kernels/java/logo-64x64.png"));
        new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"), "java");
    }

    @Test
    void theKernelspec_isSelfContained_andOutlivesTheJarItWasInstalledFrom(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectories(
                dir.resolve("checkout").resolve("kernel").resolve("target"));
        Path jar = Files.writeString(target.resolve("research-kernel.jar"), "the jar's bytes");
        Path spec = new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"), "java");
        Files.delete(jar); // mvn clean

        for (String arg : strings(argv(spec)).subList(1, 4)) {
            if (!arg.equals("-jar")) {
                Path file = Path.of(arg.replaceFirst("^@", ""));
                assertTrue(file.startsWith(spec) && Files.isRegularFile(file), arg + " lives in " + spec);
            }
        }
        assertEquals("the jar's bytes", Files.readString(spec.resolve(KernelspecInstaller.JAR_FILE)));
        for (String option : options(spec).lines().filter(l -> l.contains("=/")).toList()) {
            assertTrue(option.contains(spec.toString()), "a file the options name lives in the kernelspec: " + option);
        }
    }

    /** {@code %monitoring on} starts the checkout's sidecar, which no longer sits beside the copied jar. */
    @Test
    void theCheckoutsSidecarLauncher_isRecordedInTheOptions(@TempDir Path dir) throws Exception {
        Path checkout = dir.resolve("checkout");
        Path target = Files.createDirectories(checkout.resolve("kernel").resolve("target"));
        Path jar = Files.writeString(target.resolve("research-kernel.jar"), "bytes");
        Path launcher = Files.createDirectories(checkout.resolve("bin")).resolve("metrics-sidecar");
        Files.writeString(launcher, "#!/bin/sh\n");
        assertTrue(launcher.toFile().setExecutable(true));

        Path spec = new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"), "java");

        assertTrue(
                options(spec)
                        .lines()
                        .anyMatch(("-D" + MonitoringSettings.SIDECAR_LAUNCHER_PROPERTY + "="
                                + launcher.toAbsolutePath())::equals),
                options(spec));
    }

    @Test
    void installingFromTheKernelspecsOwnJar_keepsIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("research-kernel.jar"), "bytes");
        Path spec = new KernelspecInstaller(Path.of("/usr/bin/java"), jar).install(dir.resolve("kernels"), "java");
        new KernelspecInstaller(Path.of("/usr/bin/java"), spec.resolve(KernelspecInstaller.JAR_FILE))
                .install(dir.resolve("kernels"), "java");
        assertEquals("bytes", Files.readString(spec.resolve(KernelspecInstaller.JAR_FILE)));
        try (var files = Files.list(dir.resolve("kernels"))) {
            assertEquals(List.of(spec), files.toList(), "no temporary jar left beside the kernelspec");
        }
    }

    @Test
    void noStartupTuning_writesTheSwitch_theJvmsOwnJit_andNoArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("k.jar"));
        Path spec = new KernelspecInstaller(Path.of("/usr/bin/java"), jar)
                .withoutStartupTuning()
                .install(dir, "plain");
        String options = options(spec);
        assertTrue(options.lines().anyMatch(StartupTuning.OFF::equals), options);
        assertTrue(
                !options.contains("CompilerDirectivesFile")
                        && !options.contains("Archive")
                        && !options.contains("AOTCache"),
                options);
    }

    @Test
    void anOptionWithASpace_staysOneOption_inTheOptionsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("o");
        KernelspecInstaller.writeOptions(file, List.of("-Dplain=1", "-Dpath=/a b/c", "-Dq=say \"hi\""));
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "@" + file,
                        "-XshowSettings:properties",
                        "-version")
                .start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        assertTrue(err.contains("path = /a b/c") && err.contains("q = say \"hi\"") && err.contains("plain = 1"), err);
    }

    private static JsonNode argv(Path spec) throws Exception {
        return new ObjectMapper().readTree(spec.resolve("kernel.json").toFile()).path("argv");
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new java.util.ArrayList<>();
        array.forEach(a -> list.add(a.asText()));
        return list;
    }

    /** The kernelspec's options file. */
    private static String options(Path spec) throws Exception {
        return Files.readString(spec.resolve(KernelspecInstaller.OPTIONS_FILE));
    }
}
