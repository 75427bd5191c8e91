package dev.researchmon.magics.api;

/**
 * One magic command, line ({@code %name args}) or cell ({@code %%name args} followed by a body).
 *
 * <p>Magics see the kernel only through {@link MagicContext}; they are found with
 * {@link java.util.ServiceLoader} through {@link MagicProvider}. Example:
 * <pre>{@code
 * final class HelloMagic implements Magic {
 *   public String name() { return "hello"; }
 *   public String usage() { return "%hello NAME"; }
 *   public String description() { return "greets NAME"; }
 *   public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
 *     if (call.args().size() != 1) throw new MagicUsageException(usage());
 *     return Display.text("hello " + call.args().get(0));
 *   }
 * }
 * }</pre>
 */
public interface Magic {

    /** The name typed after {@code %} or {@code %%}, without them. */
    String name();

    /** One line that says how to call it; shown on a wrong or missing argument. */
    String usage();

    /** One short line that says what it does, for {@code %lsmagic}. */
    default String description() {
        return "";
    }

    /** Whether this is a cell magic ({@code %%name}); line magics are the default. */
    default boolean isCellMagic() {
        return false;
    }

    /**
     * Runs the magic.
     *
     * @return what to show as the magic's result, or {@code null} for nothing
     * @throws MagicException with a message for the user; the kernel shows it without a stack trace
     */
    Display execute(MagicCall call, MagicContext ctx) throws MagicException;
}
