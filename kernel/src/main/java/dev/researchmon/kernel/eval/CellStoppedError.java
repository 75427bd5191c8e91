package dev.researchmon.kernel.eval;

/**
 * Thrown inside cell code that was asked to stop. An {@link Error}, so that a cell's
 * {@code catch (Exception e)} does not swallow it; a cell that catches it anyway is stopped again at
 * its next loop iteration.
 */
public final class CellStoppedError extends Error {
    private static final long serialVersionUID = 1L;

    CellStoppedError() {
        super("the cell was interrupted", null, false, false);
    }
}
