package dev.researchmon.kernel.language;

import dev.researchmon.kernel.eval.CellError;
import dev.researchmon.kernel.eval.Evaluation;
import dev.researchmon.kernel.notebook.DisplayRenderer;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicUsageException;

/** What a cell (or one part of it) came to: how it ended, what to show as its result, and its error. */
record CellResult(CellOutcome outcome, Display display, CellError error) {
    static final CellResult NOTHING = new CellResult(CellOutcome.OK, null, null);
    static final CellResult INTERRUPTED = new CellResult(CellOutcome.INTERRUPTED, null, null);

    static CellResult of(Evaluation e) {
        Display d = e.hasValue() ? DisplayRenderer.render(e.value(), e.valueText()) : null;
        return new CellResult(e.outcome(), d, e.error());
    }

    static CellResult shown(Display display) {
        return new CellResult(CellOutcome.OK, display, null);
    }

    static CellResult failed(String ename, String evalue) {
        return new CellResult(CellOutcome.ERROR, null, CellError.of(ename, evalue));
    }

    static CellResult magicFailed(MagicException e) {
        return failed(e instanceof MagicUsageException ? "UsageError" : "MagicError", e.getMessage());
    }
}
