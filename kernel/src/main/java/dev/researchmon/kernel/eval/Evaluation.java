package dev.researchmon.kernel.eval;

import dev.researchmon.magics.api.CellOutcome;

/**
 * What running some code came to.
 *
 * <pre>{@code
 * Evaluation e = evaluator.evaluate("1 + 1");
 * if (e.hasValue()) show(e.value(), e.valueText());
 * }</pre>
 *
 * @param outcome   OK, ERROR or INTERRUPTED
 * @param hasValue  whether the last snippet was an expression whose value should be shown
 * @param value     that value as an object (may be {@code null})
 * @param valueText JShell's text for it (strings quoted, arrays listed)
 * @param error     the error when {@code outcome} is not OK
 */
public record Evaluation(CellOutcome outcome, boolean hasValue, Object value, String valueText, CellError error) {

    static Evaluation nothing() {
        return new Evaluation(CellOutcome.OK, false, null, null, null);
    }

    static Evaluation value(Object value, String text) {
        return new Evaluation(CellOutcome.OK, true, value, text, null);
    }

    static Evaluation failed(CellError error) {
        return new Evaluation(CellOutcome.ERROR, false, null, null, error);
    }

    static Evaluation interrupted() {
        return new Evaluation(
                CellOutcome.INTERRUPTED,
                false,
                null,
                null,
                CellError.of("Interrupted", "the cell was interrupted; earlier definitions are kept"));
    }
}
