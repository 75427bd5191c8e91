package dev.researchmon.ml.maven;

import dev.researchmon.magics.api.CellListener;
import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.KernelIdentity;
import dev.researchmon.magics.api.MagicContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel side of the magic interface, reduced to what {@code %maven} uses: it keeps the class
 * path entries it is given. (The real kernel is exercised by the notebook test.)
 */
final class RecordingContext implements MagicContext {
    final List<Path> classPath = new ArrayList<>();

    @Override
    public KernelIdentity identity() {
        return new KernelIdentity("test-kernel", "", ProcessHandle.current().pid());
    }

    @Override
    public void display(Display display) {}

    @Override
    public Display evaluate(String code) {
        throw new UnsupportedOperationException("%maven evaluates no code");
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        classPath.addAll(entries);
    }

    @Override
    public void addCellListener(CellListener listener) {}

    @Override
    public void removeCellListener(CellListener listener) {}
}
