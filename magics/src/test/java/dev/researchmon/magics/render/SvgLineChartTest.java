package dev.researchmon.magics.render;

import dev.researchmon.magics.prometheus.Series;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgLineChartTest {

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
            if (cls.equals(e.getAttribute("class"))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Series series(String status, double... values) {
        List<Series.Sample> samples = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(new Series.Sample(1000 + 15 * i, values[i]));
        }
        return Series.of(Map.of("__name__", "cells", "status", status), samples);
    }

    @Test
    void twoSeries_drawTwoLinesAndALegendEntryEach() throws Exception {
        String svg = new SvgLineChart("rate(cells[1m])").render(
                List.of(series("ok", 1, 2, 3), series("error", 0, 0, 1)), 1000, 1030);
        Document d = parse(svg);
        assertEquals(2, byClass(d, "polyline", "series").size());
        List<Element> legend = byClass(d, "text", "legend");
        assertEquals(List.of("cells{status=\"ok\"}", "cells{status=\"error\"}"),
                legend.stream().map(Element::getTextContent).toList());
        assertTrue(byClass(d, "polyline", "series").get(0).getAttribute("points").split(" ").length == 3);
    }

    @Test
    void nanInASeries_breaksItsLineInTwo() throws Exception {
        Document d = parse(new SvgLineChart("x").render(List.of(series("ok", 1, Double.NaN, 3, 4)), 1000, 1045));
        assertEquals(2, byClass(d, "polyline", "series").size());
    }

    @Test
    void pointsStayInsideThePlotArea() throws Exception {
        Document d = parse(new SvgLineChart("x").render(List.of(series("ok", -5, 0, 1e6)), 1000, 1030));
        for (String p : byClass(d, "polyline", "series").get(0).getAttribute("points").split(" ")) {
            double x = Double.parseDouble(p.split(",")[0]);
            double y = Double.parseDouble(p.split(",")[1]);
            assertTrue(x >= 70 && x <= 740, p);
            assertTrue(y >= 30 && y <= 310, p);
        }
    }

    @Test
    void labelValuesAreEscaped() throws Exception {
        Series s = Series.of(Map.of("__name__", "m", "notebook", "<a&b>.ipynb"), List.of(new Series.Sample(1, 1)));
        Document d = parse(new SvgLineChart("m{x=\"<\"}").render(List.of(s), 0, 2));
        assertEquals("m{notebook=\"<a&b>.ipynb\"}", byClass(d, "text", "legend").get(0).getTextContent());
    }

    @Test
    void manySeries_drawsTheFirstTwelveAndCountsTheRest() throws Exception {
        List<Series> many = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            many.add(series("s" + i, i, i + 1));
        }
        String svg = new SvgLineChart("x").render(many, 1000, 1015);
        assertEquals(SvgLineChart.MAX_SERIES, byClass(parse(svg), "polyline", "series").size());
        assertTrue(svg.contains("3 more series not drawn"));
    }

    @Test
    void longSeriesNames_areShortenedInTheLegend() throws Exception {
        Series s = Series.of(Map.of("__name__", "m", "kernel_id", "x".repeat(200)), List.of(new Series.Sample(1, 1)));
        String legend = byClass(parse(new SvgLineChart("m").render(List.of(s), 0, 2)), "text", "legend").get(0)
                .getTextContent();
        assertEquals(105, legend.length());
        assertTrue(legend.endsWith("\u2026"));
    }

    @Test
    void yAxis_ticksAreRoundNumbersCoveringTheData() {
        var axis = SvgLineChart.Axis.nice(0.13, 0.87, 5);
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0).size(), axis.ticks().size());
        assertTrue(axis.min() <= 0.13 && axis.max() >= 0.87);
    }
}
