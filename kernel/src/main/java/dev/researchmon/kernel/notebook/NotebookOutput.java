package dev.researchmon.kernel.notebook;

import dev.researchmon.magics.api.Display;

/**
 * Where {@link Notebook}'s helpers send what cells show: the kernel implements it with iopub
 * messages about the running cell.
 *
 * <pre>{@code
 * Notebook.attach(new NotebookOutput() { ... });
 * }</pre>
 */
public interface NotebookOutput {
    void display(Display display);

    void clearOutput(boolean wait);

    /** Used before the kernel attaches, e.g. in unit tests of the evaluator. */
    NotebookOutput DISCARD = new NotebookOutput() {
        @Override
        public void display(Display display) {}

        @Override
        public void clearOutput(boolean wait) {}
    };
}
