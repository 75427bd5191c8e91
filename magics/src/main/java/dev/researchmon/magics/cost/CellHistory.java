package dev.researchmon.magics.cost;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@value #SIZE} measured cells, for {@code %monitoring cells}. Written by the execute
 * thread, read by a magic on the same thread; synchronized for a reader elsewhere.
 *
 * <pre>{@code
 * history.add(cost);
 * CellFooter.table(history.last());
 * }</pre>
 */
public final class CellHistory {
    public static final int SIZE = 20;
    private final ArrayDeque<CellCost> cells = new ArrayDeque<>(SIZE);

    public synchronized void add(CellCost cost) {
        if (cells.size() == SIZE) {
            cells.removeFirst();
        }
        cells.addLast(cost);
    }

    /** Oldest first. */
    public synchronized List<CellCost> last() {
        return List.copyOf(cells);
    }
}
