package dev.researchmon.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads and writes the report wire format (JSON), with a size bound on reading so that a writer can
 * never make the sidecar buffer more than it allows.
 *
 * <pre>{@code
 * byte[] body = ReportCodec.encode(report);
 * KernelReport back = ReportCodec.decode(new ByteArrayInputStream(body), 1 << 20);
 * }</pre>
 */
public final class ReportCodec {
    /** Non-finite gauge values travel as the strings "NaN"/"Infinity" (JSON has no such numbers). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final java.util.regex.Pattern TOKEN_IN_MESSAGE =
            java.util.regex.Pattern.compile("JsonToken\\.([A-Z_]+)");

    private ReportCodec() {}

    /** The JSON body of a report. */
    public static byte[] encode(KernelReport report) {
        return write(report);
    }

    /** Any record of this package as JSON (used for the sidecar's answers too). */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSON answer of the sidecar, e.g. {@link ReportAck}. */
    public static <T> T read(byte[] body, Class<T> type) throws ReportFormatException {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new ReportFormatException(reasonOf(e), e);
        }
    }

    /**
     * Reads one report of at most {@code maxBytes} bytes and checks that it has every field its
     * types need.
     *
     * @throws PayloadTooLargeException when the body is longer than {@code maxBytes}; reading stops
     *     there
     * @throws ReportFormatException when the body is not a well-formed report; the message says why
     */
    public static KernelReport decode(InputStream body, long maxBytes)
            throws IOException, PayloadTooLargeException, ReportFormatException {
        return decode(readBounded(body, maxBytes));
    }

    /** Reads one report from a body already in memory; see {@link #decode(InputStream, long)}. */
    public static KernelReport decode(byte[] body) throws ReportFormatException {
        KernelReport report;
        try {
            report = MAPPER.readValue(body, KernelReport.class);
        } catch (IOException e) {
            throw new ReportFormatException(reasonOf(e), e);
        }
        if (report == null) {
            throw new ReportFormatException("body is JSON null, expected a report object");
        }
        validate(report);
        return report;
    }

    private static byte[] readBounded(InputStream in, long maxBytes) throws IOException, PayloadTooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) != -1) {
            total += n;
            if (total > maxBytes) {
                throw new PayloadTooLargeException(maxBytes);
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * A sentence a person can act on: the field, what it must be, and what came. Jackson's own text
     * names Java types and its configuration, which mean nothing to the writer of a report.
     */
    private static String reasonOf(IOException e) {
        if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            return "field " + pathOf(mismatch) + ": " + expected(mismatch.getTargetType()) + ", got " + got(mismatch);
        }
        if (e instanceof JacksonException jackson) {
            return "invalid JSON: " + jackson.getOriginalMessage();
        }
        return "unreadable body: " + e.getMessage();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "unexpected value";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "expected a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "expected a number (or \"NaN\", \"Infinity\", \"-Infinity\")";
        }
        if (type == String.class) {
            return "expected a string";
        }
        if (type == MetricType.class) {
            return "expected one of \"counter\", \"gauge\", \"histogram\", \"summary\", \"info\", \"unknown\"";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "expected a list [...]";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "expected an object of label names to string values";
        }
        return "expected an object {...}";
    }

    private static String got(MismatchedInputException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException invalid) {
            Object value = invalid.getValue();
            return value instanceof String text ? "\"" + abbreviated(text) + "\"" : String.valueOf(value);
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Cannot map `null`")) {
            return "nothing (the field is missing or null)";
        }
        JsonToken token = e.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null;
        // records are read through a buffer, so the parser may be elsewhere: the message names the token
        java.util.regex.Matcher named = TOKEN_IN_MESSAGE.matcher(String.valueOf(e.getOriginalMessage()));
        if (named.find()) {
            token = JsonToken.valueOf(named.group(1));
        }
        if (token == null) {
            return "something else";
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "null";
            default -> "something else";
        };
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String pathOf(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static void validate(KernelReport r) throws ReportFormatException {
        if (r.kernelId() == null || r.kernelId().isBlank()) {
            throw new ReportFormatException("field kernel_id: missing or empty");
        }
        if (r.metrics() == null) {
            throw new ReportFormatException("field metrics: missing (send [] for a kernel with none)");
        }
        List<MetricFamily> families = r.metrics();
        for (int f = 0; f < families.size(); f++) {
            MetricFamily family = families.get(f);
            String at = "metrics[" + f + "]";
            if (family == null) {
                throw new ReportFormatException(at + ": null family");
            }
            if (family.name() == null || family.name().isBlank()) {
                throw new ReportFormatException(at + ".name: missing or empty");
            }
            if (family.type() == null) {
                throw new ReportFormatException(at + ".type: missing");
            }
            if (family.points() == null) {
                throw new ReportFormatException(at + ".points: missing");
            }
            for (int p = 0; p < family.points().size(); p++) {
                validatePoint(family.type(), family.points().get(p), at + ".points[" + p + "]");
            }
        }
    }

    private static void validatePoint(MetricType type, MetricPoint point, String at) throws ReportFormatException {
        if (point == null) {
            throw new ReportFormatException(at + ": null point");
        }
        for (var label : point.labels().entrySet()) {
            if (label.getValue() == null) {
                throw new ReportFormatException(at + ".labels." + label.getKey() + ": null value");
            }
        }
        switch (type) {
            case COUNTER, GAUGE, UNKNOWN -> require(point.value() != null, at + ".value: missing");
            case HISTOGRAM -> {
                require(point.buckets() != null, at + ".buckets: missing");
                require(point.count() != null, at + ".count: missing");
                require(point.sum() != null, at + ".sum: missing");
            }
            case SUMMARY -> {
                require(point.count() != null, at + ".count: missing");
                require(point.sum() != null, at + ".sum: missing");
            }
            case INFO -> {
                // labels only
            }
        }
    }

    private static void require(boolean condition, String reason) throws ReportFormatException {
        if (!condition) {
            throw new ReportFormatException(reason);
        }
    }
}
