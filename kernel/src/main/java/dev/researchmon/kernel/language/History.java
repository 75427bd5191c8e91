package dev.researchmon.kernel.language;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells this kernel ran (session 1, numbered by execution count), answering
 * {@code history_request}: tail, range and glob search, as IPython's history does.
 *
 * <pre>{@code
 * history.add(1, "int x = 1;", null);
 * history.tail(10);   // [Entry(1, 1, "int x = 1;", null)]
 * }</pre>
 */
final class History {
    static final int SESSION = 1;

    /** One cell: its input and the text of its result (or {@code null}). */
    record Entry(int session, int line, String input, String output) {}

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int line, String input, String output) {
        entries.add(new Entry(SESSION, line, input, output));
    }

    synchronized List<Entry> tail(int n) {
        int from = Math.max(0, entries.size() - Math.max(0, n));
        return List.copyOf(entries.subList(from, entries.size()));
    }

    /** Lines {@code [start, stop)} of a session; a session of 0 or less means this one. */
    synchronized List<Entry> range(int session, int start, int stop) {
        if (session > SESSION) {
            return List.of();
        }
        int last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).line();
        int until = stop <= 0 ? last + 1 : stop;
        return entries.stream()
                .filter(e -> e.line() >= start && e.line() < until)
                .toList();
    }

    /** Inputs matching a glob ({@code *}, {@code ?}), the last {@code n} (all when n ≤ 0). */
    synchronized List<Entry> search(String glob, int n, boolean unique) {
        Pattern p = globPattern(glob);
        List<Entry> found =
                entries.stream().filter(e -> p.matcher(e.input()).matches()).toList();
        if (unique) {
            Map<String, Entry> lastByInput = new LinkedHashMap<>();
            for (Entry e : found) {
                lastByInput.remove(e.input());
                lastByInput.put(e.input(), e);
            }
            found = List.copyOf(lastByInput.values());
        }
        if (n > 0 && found.size() > n) {
            found = found.subList(found.size() - n, found.size());
        }
        return found;
    }

    static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
