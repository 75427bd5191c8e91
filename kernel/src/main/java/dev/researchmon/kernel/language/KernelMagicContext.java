package dev.researchmon.kernel.language;

import dev.researchmon.kernel.eval.Evaluation;
import dev.researchmon.kernel.notebook.DisplayRenderer;
import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.CellOutcome;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel as magics see it: identity, display, evaluation, class path and cell listeners, and
 * nothing else of the kernel's types.
 */
final class KernelMagicContext implements MagicContext {
    private final JavaKernel kernel;

    KernelMagicContext(JavaKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public KernelIdentity identity() {
        return kernel.identity();
    }

    @Override
    public void display(Display display) {
        kernel.flushStreams();
        kernel.iopub().display(display);
    }

    @Override
    public Display evaluate(String code) throws MagicException {
        Evaluation e = kernel.java().evaluate(code);
        if (e.outcome() != CellOutcome.OK) {
            throw new MagicException(e.error().ename() + ": " + e.error().evalue());
        }
        return e.hasValue() ? DisplayRenderer.render(e.value(), e.valueText()) : null;
    }

    @Override
    public void addToClasspath(List<Path> entries) throws MagicException {
        for (Path p : entries) {
            if (!Files.exists(p)) {
                throw new MagicException("no such jar or folder: " + p);
            }
        }
        for (Path p : entries) {
            kernel.java().addToClasspath(p.toAbsolutePath().toString());
        }
    }

    @Override
    public void addCellListener(CellListener listener) {
        kernel.listeners().add(listener);
    }

    @Override
    public void removeCellListener(CellListener listener) {
        kernel.listeners().remove(listener);
    }
}
