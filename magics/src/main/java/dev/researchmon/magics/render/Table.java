package dev.researchmon.magics.render;

import dev.researchmon.magics.api.Display;
import java.util.ArrayList;
import java.util.List;

/**
 * A table shown both as HTML and as aligned plain text; the one place that escapes cell text.
 *
 * <pre>{@code
 * Table t = new Table(List.of("metric", "value"));
 * t.row("up", "1");
 * Display d = t.display();
 * }</pre>
 */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    public Table row(String... cells) {
        return row(List.of(cells));
    }

    public Table row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + headers.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public int size() {
        return rows.size();
    }

    public Display display() {
        return Display.html(html(), text());
    }

    public String html() {
        StringBuilder sb = new StringBuilder("<table>\n<thead><tr>");
        headers.forEach(h -> sb.append("<th style=\"text-align:left\">")
                .append(Html.escape(h))
                .append("</th>"));
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            sb.append("<tr>");
            row.forEach(c -> sb.append("<td style=\"text-align:left\">")
                    .append(Html.escape(c))
                    .append("</td>"));
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>").toString();
    }

    public String text() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        for (int i = 0; i < width.length; i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        sb.append('\n');
        rows.forEach(r -> line(sb, r, width));
        return sb.toString().stripTrailing();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            line.append(i == 0 ? "" : "  ").append(cells.get(i));
            line.append(" ".repeat(width[i] - cells.get(i).length()));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
