package dev.researchmon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportCodecTest {

    private static KernelReport sample() {
        return new KernelReport(
                "k-1",
                "train.ipynb",
                42L,
                3,
                List.of(
                        new MetricFamily(
                                "loss",
                                "training loss",
                                null,
                                MetricType.GAUGE,
                                List.of(MetricPoint.ofValue(Map.of("run", "a"), Double.NaN))),
                        new MetricFamily(
                                "cell_seconds",
                                "cell time",
                                "seconds",
                                MetricType.HISTOGRAM,
                                List.of(MetricPoint.ofHistogram(
                                        Map.of(),
                                        List.of(new MetricPoint.Bucket(0.5, 1), new MetricPoint.Bucket(1, 3)),
                                        4,
                                        5.5)))));
    }

    private static KernelReport decode(String json) throws Exception {
        return ReportCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodeThenDecode_givesTheSameReport_includingNaN() throws Exception {
        KernelReport report = sample();
        KernelReport back = ReportCodec.decode(new ByteArrayInputStream(ReportCodec.encode(report)), 4096);
        assertEquals(report.kernelId(), back.kernelId());
        assertEquals(report.metrics().get(1), back.metrics().get(1));
        assertTrue(Double.isNaN(back.metrics().get(0).points().get(0).value()));
    }

    @Test
    void wireFormat_usesSnakeCaseAndLowerCaseTypes() {
        String json = new String(ReportCodec.encode(sample()), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"kernel_id\":\"k-1\""), json);
        assertTrue(json.contains("\"type\":\"histogram\""), json);
        assertTrue(json.contains("\"buckets\":[{\"le\":0.5,\"count\":1}"), json);
    }

    @Test
    void bodyOverTheBound_isTooLarge() {
        byte[] body = ReportCodec.encode(sample());
        PayloadTooLargeException e = assertThrows(
                PayloadTooLargeException.class,
                () -> ReportCodec.decode(new ByteArrayInputStream(body), body.length - 1));
        assertEquals(body.length - 1, e.limitBytes());
    }

    @Test
    void notJson_isMalformedWithReason() {
        ReportFormatException e = assertThrows(ReportFormatException.class, () -> decode("{\"kernel_id\":"));
        assertTrue(e.getMessage().startsWith("invalid JSON"), e.getMessage());
    }

    @Test
    void missingKernelId_namesTheField() {
        ReportFormatException e =
                assertThrows(ReportFormatException.class, () -> decode("{\"sequence\":1,\"metrics\":[]}"));
        assertEquals("field kernel_id: missing or empty", e.getMessage());
    }

    @Test
    void missingMetrics_namesTheField() {
        ReportFormatException e =
                assertThrows(ReportFormatException.class, () -> decode("{\"kernel_id\":\"k\",\"sequence\":1}"));
        assertTrue(e.getMessage().startsWith("field metrics"), e.getMessage());
    }

    @Test
    void unknownType_namesTheField() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class,
                () -> decode(
                        "{\"kernel_id\":\"k\",\"sequence\":1,\"metrics\":[{\"name\":\"x\",\"type\":\"meter\",\"points\":[]}]}"));
        assertTrue(e.getMessage().contains("metrics[0].type"), e.getMessage());
    }

    @Test
    void counterWithoutValue_namesThePoint() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class,
                () -> decode("{\"kernel_id\":\"k\",\"sequence\":1,\"metrics\":[{\"name\":\"x\",\"type\":\"counter\","
                        + "\"points\":[{\"labels\":{}}]}]}"));
        assertEquals("metrics[0].points[0].value: missing", e.getMessage());
    }

    @Test
    void histogramWithoutCount_namesThePoint() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class,
                () -> decode("{\"kernel_id\":\"k\",\"sequence\":1,\"metrics\":[{\"name\":\"x\",\"type\":\"histogram\","
                        + "\"points\":[{\"buckets\":[],\"sum\":1}]}]}"));
        assertEquals("metrics[0].points[0].count: missing", e.getMessage());
    }

    @Test
    void valueOfWrongShape_namesTheField() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class,
                () -> decode("{\"kernel_id\":\"k\",\"sequence\":1,\"metrics\":[{\"name\":\"x\",\"type\":\"gauge\","
                        + "\"points\":[{\"value\":{\"a\":1}}]}]}"));
        assertTrue(e.getMessage().contains("metrics[0].points[0].value"), e.getMessage());
    }

    @Test
    void missingSequence_isASentenceNamingTheFieldAndWhatItMustBe() {
        ReportFormatException e =
                assertThrows(ReportFormatException.class, () -> decode("{\"kernel_id\":\"k\",\"metrics\":[]}"));
        assertEquals(
                "field sequence: expected a whole number, got nothing (the field is missing or null)", e.getMessage());
    }

    @Test
    void sequenceAsText_saysWhatCameInstead() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class,
                () -> decode("{\"kernel_id\":\"k\",\"sequence\":\"seven\",\"metrics\":[]}"));
        assertEquals("field sequence: expected a whole number, got \"seven\"", e.getMessage());
    }

    @Test
    void metricsAsObject_saysAListIsExpected() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class, () -> decode("{\"kernel_id\":\"k\",\"sequence\":1,\"metrics\":{}}"));
        assertEquals("field metrics: expected a list [...], got an object", e.getMessage());
    }

    @Test
    void unknownTypeName_listsTheTypes() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class,
                () -> decode("{\"kernel_id\":\"k\",\"sequence\":1,\"metrics\":[{\"name\":\"x\",\"type\":\"histo\","
                        + "\"points\":[]}]}"));
        assertEquals(
                "field metrics[0].type: expected one of \"counter\", \"gauge\", \"histogram\", "
                        + "\"summary\", \"info\", \"unknown\", got \"histo\"",
                e.getMessage());
    }

    @Test
    void valueAsObject_saysANumberIsExpected() {
        ReportFormatException e = assertThrows(
                ReportFormatException.class,
                () -> decode("{\"kernel_id\":\"k\",\"sequence\":1,\"metrics\":[{\"name\":\"x\",\"type\":\"gauge\","
                        + "\"points\":[{\"value\":{\"a\":1}}]}]}"));
        assertEquals(
                "field metrics[0].points[0].value: expected a number (or \"NaN\", \"Infinity\", "
                        + "\"-Infinity\"), got an object",
                e.getMessage());
        assertTrue(!e.getMessage().contains("Jackson") && !e.getMessage().contains("java."), e.getMessage());
    }

    @Test
    void jsonNull_isMalformed() {
        assertThrows(ReportFormatException.class, () -> decode("null"));
    }

    @Test
    void ack_carriesDropsByReasonWithExampleNames_andReadsAnAckWithoutThem() throws Exception {
        ReportAck ack = new ReportAck(
                3, 2, java.util.List.of(new ReportAck.Drop("reserved_name", 2, java.util.List.of("process_rows"))));
        byte[] json = ReportCodec.write(ack);

        assertEquals(ack, ReportCodec.read(json, ReportAck.class));
        assertTrue(new String(json, java.nio.charset.StandardCharsets.UTF_8)
                .contains("\"drops\":[{\"reason\":\"reserved_name\",\"series\":2,\"examples\":[\"process_rows\"]}]"));
        // an older sidecar answers without reasons
        assertEquals(
                new ReportAck(5, 0),
                ReportCodec.read(
                        "{\"accepted\": 5, \"dropped\": 0}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        ReportAck.class));
    }
}
