package dev.researchmon.magics.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.prometheus.Series;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgLineChartTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Document parse(String svg) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> byClass(Document d, String tag, String cls) {
        NodeList nodes = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    private static SvgLineChart.Line line(String name, double... values) {
        List<Series.Sample> samples = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(new Series.Sample(1000 + 15 * i, values[i]));
        }
        return new SvgLineChart.Line(name, samples);
    }

    private static SvgLineChart chart(String title) {
        return new SvgLineChart(title, Unit.plain(), UTC);
    }

    @Test
    void twoSeries_drawTwoLinesAndALegendEntryEach() throws Exception {
        Document d = parse(
                chart("rate(cells[1m])").render(List.of(line("ok", 1, 2, 3), line("error", 0, 0, 1)), 1000, 1030));
        assertEquals(2, byClass(d, "polyline", "series").size());
        assertEquals(
                List.of("ok", "error"),
                byClass(d, "text", "legend").stream()
                        .map(Element::getTextContent)
                        .toList());
        assertEquals(
                3,
                byClass(d, "polyline", "series").get(0).getAttribute("points").split(" ").length);
    }

    @Test
    void oneUnnamedSeries_hasNoLegend() throws Exception {
        Document d = parse(chart("x").render(List.of(line("", 1, 2)), 1000, 1015));
        assertEquals(0, byClass(d, "text", "legend").size());
    }

    @Test
    void nanInASeries_breaksItsLineInTwo_andALonePointIsADot() throws Exception {
        Document d = parse(chart("x").render(List.of(line("a", 1, Double.NaN, 3, 4, Double.NaN, 6)), 1000, 1075));
        assertEquals(3, byClass(d, "polyline", "series").size());
        assertEquals(2, byClass(d, "circle", "point").size());
    }

    @Test
    void pointsStayInsideThePlotArea() throws Exception {
        Document d = parse(chart("x").render(List.of(line("a", -5, 0, 1e6)), 1000, 1030));
        String[] corners =
                byClass(d, "polyline", "axis").get(0).getAttribute("points").split(" ");
        double left = Double.parseDouble(corners[0].split(",")[0]);
        double top = Double.parseDouble(corners[0].split(",")[1]);
        double right = Double.parseDouble(corners[2].split(",")[0]);
        double bottom = Double.parseDouble(corners[2].split(",")[1]);
        for (String p :
                byClass(d, "polyline", "series").get(0).getAttribute("points").split(" ")) {
            double x = Double.parseDouble(p.split(",")[0]);
            double y = Double.parseDouble(p.split(",")[1]);
            assertTrue(x >= left && x <= right, p);
            assertTrue(y >= top && y <= bottom, p);
        }
    }

    @Test
    void labelValuesAreEscaped() throws Exception {
        Document d = parse(chart("m{x=\"<\"}").render(List.of(line("notebook=\"<a&b>.ipynb\""), line("b", 1)), 0, 2));
        assertEquals(
                "notebook=\"<a&b>.ipynb\"", byClass(d, "text", "legend").get(0).getTextContent());
    }

    @Test
    void manySeries_areAllDrawn_andTheLegendWrapsInsideThePicture() throws Exception {
        List<SvgLineChart.Line> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(line("kernel_id=\"kernel-" + i + "\"", i, i + 1));
        }
        Document d = parse(chart("x").size(460, 150).render(many, 1000, 1015));
        assertEquals(30, byClass(d, "polyline", "series").size());
        List<Element> legend = byClass(d, "text", "legend");
        assertEquals(30, legend.size());
        double height = Double.parseDouble(d.getDocumentElement().getAttribute("height"));
        double width = Double.parseDouble(d.getDocumentElement().getAttribute("width"));
        for (Element e : legend) {
            assertTrue(Double.parseDouble(e.getAttribute("y")) < height, "legend entry below the picture");
            assertTrue(
                    Double.parseDouble(e.getAttribute("x")) + e.getTextContent().length() * 6.3 <= width + 1,
                    "legend entry beyond the right edge: " + e.getTextContent());
        }
    }

    @Test
    void yAxis_isWrittenInThePanelsUnit() throws Exception {
        String svg = new SvgLineChart("mem", Unit.of("bytes"), UTC)
                .render(List.of(line("a", 1L << 30, 3L << 30)), 1000, 1015);
        List<String> ticks = new ArrayList<>();
        NodeList texts = parse(svg).getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        for (int i = 0; i < texts.getLength(); i++) {
            String t = texts.item(i).getTextContent();
            if (t.endsWith("GiB")) {
                ticks.add(t);
            }
        }
        assertTrue(ticks.contains("0 GiB") && ticks.contains("3 GiB"), ticks.toString());
    }

    @Test
    void timeAxis_showsRoundTimesOfTheZone_andNamesTheZone() throws Exception {
        // 2026-01-15 12:00:00 UTC to 12:30
        double start = 1768478400;
        String utc = chart("x").render(List.of(line("a", 1)), start, start + 1800);
        assertTrue(utc.contains(">times in UTC<"), utc);
        assertTrue(utc.contains(">12:10<") && utc.contains(">12:20<"), utc);
        String berlin = new SvgLineChart("x", Unit.plain(), ZoneId.of("Europe/Berlin"))
                .render(List.of(line("a", 1)), start, start + 1800);
        assertTrue(berlin.contains("(Europe/Berlin)<"), berlin);
        assertTrue(berlin.contains(">13:10<") && !berlin.contains(">12:10<"), berlin);
    }

    @Test
    void colours_followJupyterLabsThemeVariables_withLightFallbacks() {
        String svg = chart("x").render(List.of(line("a", 1, 2)), 1000, 1015);
        assertTrue(svg.contains("fill:var(--jp-ui-font-color1,#1f1f1f)"), svg);
        assertTrue(svg.contains("fill:var(--jp-layout-color0,#ffffff)"), svg);
        assertTrue(svg.contains("<rect class=\"bg\""), svg);
    }

    @Test
    void emptyChart_saysWhy() throws Exception {
        Document d = parse(chart("GPU power")
                .size(460, 150)
                .renderEmpty("No data: the sidecar's GPU collector is failing (no NVIDIA GPU or NVML on this host)."));
        String said = String.join(
                " ",
                byClass(d, "text", "empty").stream()
                        .map(Element::getTextContent)
                        .toList());
        assertEquals("No data: the sidecar's GPU collector is failing (no NVIDIA GPU or NVML on this host).", said);
        assertEquals(0, byClass(d, "polyline", "series").size());
    }

    @Test
    void yAxis_ticksAreRoundNumbersCoveringTheData() {
        var axis = SvgLineChart.Axis.nice(0.13, 0.87, 5);
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), axis.ticks());
        assertTrue(axis.min() <= 0.13 && axis.max() >= 0.87);
    }
}
