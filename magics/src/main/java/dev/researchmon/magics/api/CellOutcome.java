package dev.researchmon.magics.api;

/** How a cell ended; the value of the {@code status} label of {@code notebook_cells_executed_total}. */
public enum CellOutcome {
    OK,
    ERROR,
    INTERRUPTED;

    /** The label value: lower case. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
