package dev.researchmon.magics.api;

/**
 * A chance to repair the cause of a snippet's exception so that the kernel can evaluate that same
 * snippet once more. The kernel asks every provider's recoveries (see
 * {@link MagicProvider#recoveries()}) when a snippet of a cell throws; if one answers {@code true}
 * it evaluates the snippet again, once, and shows that second outcome.
 *
 * <p>The case it exists for: re-running a cell that registers a metric, the normal notebook habit,
 * makes client_java throw "duplicate metric name"; the recovery unregisters the stale collector so
 * that the cell's new one takes its place.
 *
 * <pre>{@code
 * SnippetRecovery r = (className, message) ->
 *     className.equals("java.lang.IllegalArgumentException") && fixed(message);
 * }</pre>
 */
@FunctionalInterface
public interface SnippetRecovery {

    /**
     * Called on the cell's thread, after the snippet threw.
     *
     * @param exceptionClassName the thrown exception's class name, as JShell reports it
     * @param message            the exception's message, or {@code ""}
     * @return {@code true} when the cause was removed and the snippet should be evaluated once more
     */
    boolean recover(String exceptionClassName, String message);
}
