package dev.researchmon.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.researchmon.testkit.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Executes a notebook top to bottom the way CI and users do: Debian's
 * {@code jupyter nbconvert --to notebook --execute}, with the kernel named in its metadata.
 */
final class Nbconvert {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Nbconvert() {}

    /**
     * The executed notebook; fails with nbconvert's output when a cell raised (untagged) or it timed
     * out. nbconvert runs in the notebook's folder, as a user would run it, so the kernel names the
     * notebook by its file name.
     */
    static ExecutedNotebook execute(Path notebook, Path outDir, Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        Path log = outDir.resolve(notebook.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        "/usr/bin/jupyter",
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--ExecutePreprocessor.timeout=120",
                        "--ExecutePreprocessor.startup_timeout=60",
                        "--output-dir",
                        outDir.toString(),
                        notebook.getFileName().toString())
                .directory(notebook.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(4, TimeUnit.MINUTES)) {
                throw new AssertionError(
                        "nbconvert did not finish " + notebook + " in 4 minutes:\n" + Files.readString(log));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(
                        "nbconvert failed on " + notebook + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            ManagedProcess.stop(p.toHandle());
        }
        return new ExecutedNotebook(
                JSON.readTree(outDir.resolve(notebook.getFileName()).toFile()));
    }

    /** Exports an executed notebook to HTML (the lab template, JupyterLab's {@code light} or {@code dark} theme). */
    static Path exportHtml(Path notebook, Path outDir, String theme) throws IOException, InterruptedException {
        Path log = outDir.resolve(notebook.getFileName() + ".html.log");
        ProcessBuilder pb = new ProcessBuilder(
                        "/usr/bin/jupyter",
                        "nbconvert",
                        "--to",
                        "html",
                        "--theme",
                        theme,
                        "--output-dir",
                        outDir.toString(),
                        notebook.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("nbconvert --to html failed on " + notebook + ":\n" + Files.readString(log));
            }
        } finally {
            ManagedProcess.stop(p.toHandle());
        }
        String name = notebook.getFileName().toString();
        return outDir.resolve(name.substring(0, name.length() - ".ipynb".length()) + ".html");
    }

    /** The outputs of an executed notebook. */
    record ExecutedNotebook(JsonNode json) {

        /** Every output's text for a MIME type, cell by cell, in order. */
        List<String> outputs(String mime) {
            List<String> out = new ArrayList<>();
            for (JsonNode cell : json.path("cells")) {
                for (JsonNode o : cell.path("outputs")) {
                    JsonNode data = mime.equals("stream")
                            ? o.path("text")
                            : o.path("data").path(mime);
                    if (!data.isMissingNode()) {
                        out.add(joined(data));
                    }
                }
            }
            return out;
        }

        /**
         * The outputs of the code cell whose source starts with {@code sourcePrefix}: for a MIME
         * type, or {@code "stream"} for what it printed.
         */
        String outputOf(String sourcePrefix, String mime) {
            for (JsonNode cell : json.path("cells")) {
                if ("code".equals(cell.path("cell_type").asText())
                        && joined(cell.path("source")).startsWith(sourcePrefix)) {
                    StringBuilder sb = new StringBuilder();
                    for (JsonNode o : cell.path("outputs")) {
                        JsonNode data = "error".equals(o.path("output_type").asText())
                                ? o.path("evalue")
                                : mime.equals("stream")
                                        ? o.path("text")
                                        : o.path("data").path(mime);
                        if (!data.isMissingNode()) {
                            sb.append(joined(data));
                        }
                    }
                    return sb.toString();
                }
            }
            throw new AssertionError("no code cell starts with " + sourcePrefix);
        }

        private static String joined(JsonNode textOrLines) {
            if (textOrLines.isArray()) {
                StringBuilder sb = new StringBuilder();
                textOrLines.forEach(l -> sb.append(l.asText()));
                return sb.toString();
            }
            return textOrLines.asText();
        }
    }
}
