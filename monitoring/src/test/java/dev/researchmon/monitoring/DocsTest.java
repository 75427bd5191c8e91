package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.kernel.Main;
import dev.researchmon.manager.EnvironmentManager;
import dev.researchmon.sidecar.SidecarMain;
import dev.researchmon.sidecar.gpu.GpuCollector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * README.md and docs/ cannot go stale unnoticed: every relative link (and its #anchor) resolves,
 * every option shown for the three launchers is one their command accepts, and the metrics
 * reference lists exactly the metric names the code registers.
 */
class DocsTest {
    private static final Path REPO = MonitoringFiles.repoRoot();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9.-]*[a-z0-9]");
    /** The command whose options a page's option tables ({@code | option | ...}) list. */
    private static final Map<String, String> OPTION_TABLES = Map.of(
            "sidecar.md", "metrics-sidecar", "stack.md", "environment-manager", "many-hosts.md", "environment-manager");

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void everyRelativeLink_andItsAnchor_resolve() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not this repository's
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(REPO.relativize(page) + ": " + target + " (no " + REPO.relativize(resolved) + ")");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(REPO.relativize(page) + ": " + target + " (no heading #" + anchor + ")");
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void everyOptionShownForALauncher_isOneItsCommandAccepts() throws Exception {
        Map<String, Set<String>> accepted = Map.of(
                "environment-manager", options(new CommandLine(managerCommand())),
                "research-kernel",
                        options(new CommandLine(new Main()).getSubcommands().get("install")),
                "metrics-sidecar", options(sidecarCommand()));
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            String tableCommand = OPTION_TABLES.get(page.getFileName().toString());
            boolean inOptionTable = false;
            for (String line : Files.readAllLines(page)) {
                if (line.startsWith("| option ")) {
                    inOptionTable = tableCommand != null;
                } else if (!line.startsWith("|")) {
                    inOptionTable = false;
                }
                for (Map.Entry<String, Set<String>> command : accepted.entrySet()) {
                    // a command line shown in the text: the launcher's name, then its options on that line
                    Matcher at = Pattern.compile("(?:bin/)?" + command.getKey() + "\\b( install)?([^`|]*)")
                            .matcher(line);
                    while (at.find()) {
                        for (String flag : flags(at.group(2))) {
                            checked++;
                            if (!command.getValue().contains(flag)) {
                                unknown.add(REPO.relativize(page) + ": " + command.getKey() + " " + flag + "   in: "
                                        + line.strip());
                            }
                        }
                    }
                }
                if (inOptionTable) {
                    String firstCell = line.split("\\|", -1)[1];
                    for (String flag : flags(firstCell)) {
                        checked++;
                        if (!accepted.get(tableCommand).contains(flag)) {
                            unknown.add(REPO.relativize(page) + ": " + tableCommand + " " + flag + " (options table)");
                        }
                    }
                }
            }
        }
        assertTrue(checked > 50, "only " + checked + " options found in the docs: has the pattern stopped matching?");
        assertTrue(
                unknown.isEmpty(),
                "options the docs show that the command does not accept:\n" + String.join("\n", unknown));
    }

    @Test
    void metricsReference_listsEveryNameTheCodeRegisters_andNoOther() throws IOException {
        Set<String> referenced = new TreeSet<>();
        String sidecarDoc = Files.readString(REPO.resolve("docs/sidecar.md"));
        String reference = sidecarDoc.substring(sidecarDoc.indexOf("## Metrics reference"));
        for (String line : reference.lines().filter(l -> l.startsWith("| `")).toList()) {
            Matcher name = Pattern.compile("`([a-z0-9_:]+)`").matcher(line.split("\\|", -1)[1]);
            while (name.find()) {
                referenced.add(name.group(1));
            }
        }
        Set<String> registered = new TreeSet<>();
        GpuCollector.FAMILY_NAMES.forEach(registered::add);
        for (String module : List.of("sidecar", "magics", "ml")) {
            try (Stream<Path> sources = Files.walk(REPO.resolve(module).resolve("src/main/java"))) {
                for (Path source :
                        sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = Pattern.compile("\"((?:sidecar|notebook|training)_[a-z0-9_]+)\"")
                            .matcher(Files.readString(source));
                    while (m.find()) {
                        registered.add(m.group(1));
                    }
                }
            }
        }
        Matcher rule = Pattern.compile("record:\\s*([a-z0-9_:]+)")
                .matcher(Files.readString(MonitoringFiles.prometheus().resolve("rules/recording.yml")));
        while (rule.find()) {
            registered.add(rule.group(1));
        }

        List<String> missing = new ArrayList<>();
        for (String name : registered) {
            if (!referenced.contains(name)
                    && !referenced.contains(name + "_total")
                    && !referenced.contains(name + "_info")) {
                missing.add(name);
            }
        }
        List<String> stale = new ArrayList<>();
        for (String name : referenced) {
            String base = name.replaceAll("_(total|info)$", "");
            if (!registered.contains(name) && !registered.contains(base)) {
                stale.add(name);
            }
        }
        assertTrue(registered.size() > 60, "found only " + registered.size() + " registered names: " + registered);
        assertTrue(
                missing.isEmpty(), "registered by the code but not in docs/sidecar.md's metrics reference: " + missing);
        assertTrue(stale.isEmpty(), "in the metrics reference but registered nowhere: " + stale);
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new TreeSet<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            flags.add(m.group());
        }
        return flags;
    }

    private static Set<String> options(CommandLine command) {
        Set<String> names = new TreeSet<>();
        command.getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
        return names;
    }

    /** The sidecar's command line as it runs: its collector switches are added to picocli's model in code. */
    private static CommandLine sidecarCommand() throws Exception {
        var build = SidecarMain.class.getDeclaredMethod("commandLine", SidecarMain.class);
        build.setAccessible(true);
        return (CommandLine) build.invoke(null, new SidecarMain());
    }

    private static Object managerCommand() throws Exception {
        var constructor =
                EnvironmentManager.class.getDeclaredConstructor(Map.class, PrintWriter.class, PrintWriter.class);
        constructor.setAccessible(true);
        return constructor.newInstance(
                Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    /** GitHub's anchors: headings lower-cased, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new TreeSet<>();
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
