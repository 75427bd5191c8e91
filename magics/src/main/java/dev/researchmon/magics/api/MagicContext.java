package dev.researchmon.magics.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The narrow view of the kernel that magics get. The kernel implements it; magics never see the
 * kernel's own types.
 */
public interface MagicContext {

    /**
     * Which kernel and notebook this is; used to label metrics. Ask again rather than keep it: the
     * notebook changes when the user renames it. Callable from any thread; it may ask the Jupyter
     * server (loopback, bounded to about a second).
     */
    KernelIdentity identity();

    /** Publishes output now (a {@code display_data} message), while the magic is still running. */
    void display(Display display);

    /**
     * Evaluates Java code as if it were a cell of its own (stdout streamed, definitions kept).
     *
     * @return the display of the last expression's value, or {@code null} when it has none
     * @throws MagicException when the code fails to compile or throws; the message says why
     */
    Display evaluate(String code) throws MagicException;

    /** Adds jars or class folders to the running kernel, for compilation and at run time. */
    void addToClasspath(List<Path> entries) throws MagicException;

    /** Called around every cell the kernel executes, from the thread that executes it. */
    void addCellListener(CellListener listener);

    void removeCellListener(CellListener listener);
}
