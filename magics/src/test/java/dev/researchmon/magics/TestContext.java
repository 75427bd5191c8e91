package dev.researchmon.magics;

import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kernel's side of the SPI, reduced to what the magics' unit tests need: "evaluating" a body
 * runs a registered Java action instead of JShell (the real kernel is exercised by the notebooks'
 * ITs).
 */
public final class TestContext implements MagicContext {
    public final List<Display> displayed = new ArrayList<>();
    public final List<CellListener> listeners = new CopyOnWriteArrayList<>();
    public final List<String> evaluated = new ArrayList<>();
    /** The thread of each call to {@link #identity()}: a kernel's may ask the Jupyter server. */
    public final List<Thread> identityAskedBy = new CopyOnWriteArrayList<>();

    private final KernelIdentity identity;
    private Evaluator evaluator = code -> null;

    public interface Evaluator {
        Display run(String code) throws MagicException;
    }

    public TestContext(String kernelId, String notebook) {
        this.identity =
                new KernelIdentity(kernelId, notebook, ProcessHandle.current().pid());
    }

    public TestContext evaluatingWith(Evaluator e) {
        this.evaluator = e;
        return this;
    }

    @Override
    public KernelIdentity identity() {
        identityAskedBy.add(Thread.currentThread());
        return identity;
    }

    @Override
    public void display(Display display) {
        displayed.add(display);
    }

    @Override
    public Display evaluate(String code) throws MagicException {
        evaluated.add(code);
        return evaluator.run(code);
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        throw new UnsupportedOperationException("not used by the monitoring magics");
    }

    @Override
    public void addCellListener(CellListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeCellListener(CellListener listener) {
        listeners.remove(listener);
    }

    /**
     * One cell as the kernel tells its listeners: started, finished with what its threads used,
     * then answered (its idle status out). Between {@code started} and {@code finished} nothing
     * runs here; a test that needs the cell to take time calls the three itself.
     */
    public void runCell(
            int n, dev.researchmon.magics.api.CellOutcome outcome, dev.researchmon.magics.api.CellUsage usage) {
        listeners.forEach(l -> l.cellStarted(n));
        listeners.forEach(l -> l.cellFinished(n, outcome, usage));
        listeners.forEach(l -> l.cellAnswered(n));
    }
}
